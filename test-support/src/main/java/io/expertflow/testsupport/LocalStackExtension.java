package io.expertflow.testsupport;

import io.expertflow.schemas.topics.TopicCatalog;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the {@link LocalStack} once per test JVM, lazily, and keeps it in the root context's
 * store, which closes it when the whole test run is over. Resolves parameters of type {@link
 * LocalStack} and {@link TopicCatalog} (isolated topics of the test class).
 *
 * <p>JUnit may call it from parallel test threads; the store's {@code getOrComputeIfAbsent} starts
 * the stack exactly once.
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalStackExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    // start here rather than on first use so a broker that cannot start fails the class early
    stack(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalStack.class || type == TopicCatalog.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalStack stack = stack(context);
    if (parameter.getParameter().getType() == LocalStack.class) {
      return stack;
    }
    Class<?> testClass = context.getRequiredTestClass();
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            new IsolatedCatalogKey(testClass),
            key -> stack.isolatedTopics(testClass.getSimpleName()),
            TopicCatalog.class);
  }

  /** The JVM's stack, started on first call. */
  static LocalStack stack(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(LocalStack.class, key -> LocalStack.start(), LocalStack.class);
  }

  private record IsolatedCatalogKey(Class<?> testClass) {}
}
