package PerlTest;
# spawnable functions for interop tests (not part of AnyEvent::MP)
use common::sense;
use AnyEvent::MP;

our $OUT; # set by perl_node.pl: sub { print event }

# replies every message (minus its last element) to the port in its last element
sub echo {
   my (@init) = @_;
   $OUT->({ ev => "spawned", func => "PerlTest::echo", self => $SELF, init => \@init }) if $OUT;
   rcv $SELF, sub {
      my $reply = pop;
      snd $reply, @init, @_;
   };
}

# "die", @reason => kil $SELF, @reason ; "throw", $text => die
sub doomed {
   $OUT->({ ev => "spawned", func => "PerlTest::doomed", self => $SELF }) if $OUT;
   rcv $SELF,
      die   => sub { kil $SELF, @_ },
      throw => sub { die "$_[0]\n" },
      ping  => sub { snd $_[0], "pong", $SELF };
}

1
