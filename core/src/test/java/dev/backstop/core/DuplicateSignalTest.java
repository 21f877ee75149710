package dev.backstop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DuplicateSignalTest {

  @Test
  void takeReturnsWhetherRaisedAndClears() {
    DuplicateSignal.take();
    assertThat(DuplicateSignal.take()).isFalse();
    DuplicateSignal.raise();
    assertThat(DuplicateSignal.take()).isTrue();
    assertThat(DuplicateSignal.take()).isFalse();
  }

  @Test
  void aCallThatDidWorkIsNoDuplicateWhateverItSkipped() {
    DuplicateSignal.take();
    DuplicateSignal.raise();
    DuplicateSignal.worked();
    assertThat(DuplicateSignal.take()).isFalse();
    DuplicateSignal.worked();
    DuplicateSignal.raise();
    assertThat(DuplicateSignal.take()).isFalse();
    assertThat(DuplicateSignal.take()).isFalse();
  }

  @Test
  void aSignalStaysOnTheThreadThatRaisedIt() throws Exception {
    DuplicateSignal.take();
    CompletableFuture.runAsync(DuplicateSignal::raise).get();
    assertThat(DuplicateSignal.take()).isFalse();
  }
}
