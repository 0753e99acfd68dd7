package io.panavec.bindings;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The exported functions of panavec.def a test method checks against a reference. A test that covers a
 * kernel must run at every ISA level ({@code @MethodSource("io.panavec.bindings.IsaLevels#levels")});
 * KernelMatrixTest checks both.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Covers {
    String[] value();
}
