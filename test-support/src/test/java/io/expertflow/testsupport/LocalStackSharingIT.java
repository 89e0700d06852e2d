package io.expertflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A second class using the stack: it must get the running broker, not start another. */
@WithLocalStack
class LocalStackSharingIT {

  @Test
  void shouldReuseTheBrokerStartedForAnotherTestClass(LocalStack stack) {
    assertThat(LocalStack.startsInThisJvm()).isEqualTo(1);
    assertThat(stack.broker().isRunning()).isTrue();
  }
}
