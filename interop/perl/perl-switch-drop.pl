# Perl AnyEvent::MP 2.02 alone, no network: after "switched connections" the node object is freed
# with the connection it just switched to (Node.pm: transport_connect calls transport_error, which
# deletes connect_to and then weakens $NODE{$id}; nothing else holds the node, so it goes when the
# caller's scope ends, and its transport — the new connection — is destroyed: the socket closes).
# This is why a crossing in which a Perl node completes two connections always ends in a lost link.
# usage: PERL_ANYEVENT_MP_RC=/nonexistent perl -I/tmp/perlmp/lib interop/perl/perl-switch-drop.pl 2>/dev/null
# prints (2.02):  first connect: alive / switched: DESTROY first, DESTROY second, gone
use strict;
use AnyEvent::MP;
use AnyEvent::MP::Kernel;

configure nodeid => "me", binds => [], secret => "x";

package FakeTransport;
sub new     { bless { name => $_[1], send => sub { } }, $_[0] }
sub DESTROY { print "DESTROY transport $_[0]{name}\n" }

package main;
sub state { defined $AnyEvent::MP::Kernel::NODE{peer} ? "alive, transport $AnyEvent::MP::Kernel::NODE{peer}{transport}{name}" : "gone" }
{ AnyEvent::MP::Kernel::add_node ("peer")->transport_connect (FakeTransport->new ("first")) }
print "after the first connection: node ", state (), "\n";
{ AnyEvent::MP::Kernel::add_node ("peer")->transport_connect (FakeTransport->new ("second")) }
print "after switching to a second connection: node ", state (), "\n";
