/**
 * Before a command starts a node (`run`, or a network command's own node):
 * the configuration it would get, refused with advice when it has no
 * secret and no certificate — nodes could not authenticate each other.
 * @module
 */
import { ConfigError, resolveConfig, type NodeOptions, type ResolvedConfig } from '../index.js';
import { CliError } from './errors.js';

/** The advice for a configuration without secret and certificate. */
export function noSecretAdvice(config: ResolvedConfig, how: string): string {
  const where = config.rcPath ?? 'the rc file';
  const forProfile = `aemp profile ${config.profile} gensecret`;
  const forAll = 'aemp gensecret'.padEnd(forProfile.length);
  return (
    `${how}: no secret and no certificate configured (profile ${JSON.stringify(config.profile)}, ${where}).\n` +
    `Nodes authenticate each other with a shared secret (or a certificate). Make one with\n` +
    `  ${forAll}   (for every profile: the top level of the rc file)\n` +
    `  ${forProfile}   (for this profile only)\n` +
    `and give every node of the network the same one (copy the rc file, or: aemp setsecret SECRET);\n` +
    `or use TLS: aemp gencert.`
  );
}

/** Resolves and checks the configuration a node would get from `options`. */
export function checkedConfig(options: NodeOptions, how: string): ResolvedConfig {
  let config: ResolvedConfig;
  try {
    config = resolveConfig(options);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new CliError(`${how}: ${(e as Error).message}`);
  }
  if (config.secret === undefined && config.cert === undefined)
    throw new CliError(noSecretAdvice(config, how));
  return config;
}
