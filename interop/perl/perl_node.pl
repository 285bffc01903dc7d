#!/usr/bin/perl
# A real AnyEvent::MP 2.x node driven by JSON commands on stdin, reporting JSON events on stdout.
# usage: perl -I/tmp/perlmp/lib perl_node.pl '{"nodeid":"perl1","binds":["127.0.0.1:4455"],"secret":"s3cret",...}'
use common::sense;
use AnyEvent;
use AnyEvent::Handle;
use JSON::XS;
use AnyEvent::MP;
use AnyEvent::MP::Kernel;
use PerlTest;

$| = 1;
my $J = JSON::XS->new->canonical->allow_nonref->allow_unknown->allow_blessed;
sub out { $_[0]{id} += 0 if defined $_[0]{id}; print $J->encode ($_[0]), "\n" }
$PerlTest::OUT = \&out;

my $cfg = decode_json ($ARGV[0] // "{}");
my $global = delete $cfg->{global};
configure norc => 1, %$cfg;
if ($global) { require AnyEvent::MP::Global; }

# a reporting port: every message is printed
my $sink = port { out { ev => "msg", port => "sink", msg => [@_] } };
# echo port: replies to last element
my $echo = port { my $r = pop; snd $r, @_ };

mon_nodes sub { out { ev => "node", node => $_[0], up => $_[1] ? 1 : 0, reason => [@_[2..$#_]] } };

my %keep; # guards
my %ports = (sink => $sink, echo => $echo);

my $stdin = AnyEvent::Handle->new (fh => \*STDIN, on_error => sub { exit 0 }, on_eof => sub { exit 0 });
my $handler; $handler = sub {
   my $c = eval { decode_json $_[1] } or do { out { ev => "error", error => "bad cmd $_[1]" }; return };
   my $id = $c->{id};
   my $cmd = $c->{cmd};
   eval {
      if ($cmd eq "snd") { snd $c->{port}, @{ $c->{msg} } }
      elsif ($cmd eq "kil") { kil $c->{port}, @{ $c->{reason} || [] } }
      elsif ($cmd eq "port") {
         my $name = $c->{name};
         $ports{$name} = port { out { ev => "msg", port => $name, msg => [@_] } };
         out { ev => "reply", id => $id, result => $ports{$name} };
         return 1;
      }
      elsif ($cmd eq "mon") {
         my $p = $c->{port};
         $keep{"mon $id"} = mon $p, sub { out { ev => "mon", id => $id, port => $p, reason => [@_] } };
      }
      elsif ($cmd eq "spawn") {
         my $p = spawn $c->{node}, $c->{func}, @{ $c->{args} || [] };
         out { ev => "reply", id => $id, result => $p };
         return 1;
      }
      elsif ($cmd eq "cal") {
         cal $c->{port}, @{ $c->{msg} }, sub { out { ev => "cal", id => $id, reply => [@_] } }, $c->{timeout};
      }
      elsif ($cmd eq "db_set") { $keep{"db $c->{family} $c->{key}"} = db_set $c->{family}, $c->{key}, $c->{value} }
      elsif ($cmd eq "db_del") { delete $keep{"db $c->{family} $c->{key}"}; db_del $c->{family}, $c->{key} }
      elsif ($cmd eq "db_reg") { $keep{"reg $c->{family} $c->{port}"} = db_reg $c->{family}, $c->{port}, $c->{value} }
      elsif ($cmd eq "db_mon") {
         my $f = $c->{family};
         $keep{"dbmon $f"} = db_mon $f, sub { out { ev => "db_mon", id => $id, family => $f, db => {%{$_[0]}}, a => $_[1], c => $_[2], d => $_[3] } };
      }
      elsif ($cmd eq "db_family" || $cmd eq "db_keys" || $cmd eq "db_values") {
         no strict 'refs';
         &{"AnyEvent::MP::Kernel::$cmd"} ($c->{family}, sub { out { ev => "reply", id => $id, result => $_[0] } });
         return 1;
      }
      elsif ($cmd eq "eval") { my @r = eval $c->{code}; out { ev => "reply", id => $id, result => [@r], error => "$@" }; return 1 }
      elsif ($cmd eq "exit") { exit 0 }
      else { die "unknown cmd $cmd" }
      out { ev => "ok", id => $id } if defined $id;
      1
   } or out { ev => "error", id => $id, error => "$@" };
};
$stdin->on_read (sub { $_[0]->push_read (line => $handler) });

out { ev => "ready", node => $NODE, binds => $AnyEvent::MP::Kernel::BINDS, ports => \%ports, runiq => $AnyEvent::MP::Kernel::RUNIQ };
AE::cv->recv;
