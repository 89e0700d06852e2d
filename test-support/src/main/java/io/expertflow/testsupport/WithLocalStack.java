package io.expertflow.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against the JVM's shared {@link LocalStack}: started before the first such
 * class, closed when the test run ends. Test methods, constructors and lifecycle methods may take a
 * {@link LocalStack} parameter, or a {@link io.expertflow.schemas.topics.TopicCatalog} parameter
 * for topics of their own (one prefix per test class, already provisioned).
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalStackExtension.class)
public @interface WithLocalStack {}
