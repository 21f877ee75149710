package dev.backstop.doctests.context;

/** What the prose around the Java blocks of docs/spring-boot.md takes as given. */
@SuppressWarnings("unused")
public abstract class SpringBootDocContext {
  /** The application's event. */
  public record OrderPlaced(String orderId, String customer, long amountCents) {}
}
