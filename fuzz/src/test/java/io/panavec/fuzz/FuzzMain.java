package io.panavec.fuzz;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one {@code @FuzzTest} ({@code Class#method} of this package) through the JUnit launcher, in this JVM:
 * what {@code scripts/fuzz.sh} starts once per target (with {@code JAZZER_FUZZ=1}), so each target fuzzes in its
 * own JVM without a Maven build per target. Exit code 0 when the target found nothing, 1 on a finding.
 */
public final class FuzzMain {
    private FuzzMain() {}

    public static void main(String[] args) throws ClassNotFoundException {
        if (args.length != 1 || !args[0].contains("#")) {
            System.err.println("usage: FuzzMain Class#method   (e.g. IndexFileFuzzTest#store)");
            System.exit(2);
        }
        String[] target = args[0].split("#", 2);
        Class<?> cls = Class.forName(FuzzMain.class.getPackageName() + "." + target[0]);
        Method method = Arrays.stream(cls.getDeclaredMethods())
                .filter(m -> m.getName().equals(target[1]) && m.isAnnotationPresent(com.code_intelligence.jazzer.junit.FuzzTest.class)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(args[0] + ": no such method"));
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(cls, method)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printTo(new PrintWriter(System.out, true));
        summary.printFailuresTo(new PrintWriter(System.out, true), 40);
        System.exit(summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() > 0 ? 0 : 1);
    }
}
