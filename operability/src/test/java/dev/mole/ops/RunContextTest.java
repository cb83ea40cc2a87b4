package dev.mole.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** A line logged inside an activity of a worker made by {@link WorkerFactories} names its run and activity. */
class RunContextTest {
    private static final String QUEUE = "run-context-test";

    @ActivityInterface
    public interface Greeting {
        String greet(String who);
    }

    public static class GreetingImpl implements Greeting {
        @Override
        public String greet(String who) {
            LoggerFactory.getLogger("dev.mole.test.activity").info("greeting {}", who);
            return "hello " + who;
        }
    }

    @WorkflowInterface
    public interface Greeter {
        @WorkflowMethod
        String run(String who);
    }

    public static class GreeterImpl implements Greeter {
        @Override
        public String run(String who) {
            return Workflow.newActivityStub(Greeting.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(30)).build()).greet(who);
        }
    }

    private TestWorkflowEnvironment env;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.mole.test.activity");
    private final ListAppender<ILoggingEvent> ended = new ListAppender<>();
    private final Logger interceptorLogger = (Logger) LoggerFactory.getLogger(RunContext.class);

    @BeforeEach
    void start() {
        captured.start();
        logger.addAppender(captured);
        ended.start();
        interceptorLogger.addAppender(ended);
        env = TestWorkflowEnvironment.newInstance();
    }

    @AfterEach
    void stop() {
        logger.detachAppender(captured);
        interceptorLogger.detachAppender(ended);
        env.close();
    }

    @Test
    void activityLogLinesCarryTheRunIdAndActivityType() {
        WorkerFactory factory = WorkerFactories.create(env.getWorkflowClient());
        var worker = factory.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(GreeterImpl.class);
        worker.registerActivitiesImplementations(new GreetingImpl());
        factory.start();
        try {
            String result = env.getWorkflowClient().newWorkflowStub(Greeter.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE).setWorkflowId("curation-run-42").build()).run("world");
            assertThat(result).isEqualTo("hello world");
        } finally {
            factory.shutdownNow();
        }

        List<ILoggingEvent> lines = captured.list.stream().filter(e -> e.getFormattedMessage().equals("greeting world")).toList();
        assertThat(lines).hasSize(1);
        String line = new LogfmtLayout().doLayout(lines.get(0));
        assertThat(line).contains(" run_id=curation-run-42 ", " workflow=Greeter ", " activity=Greet ",
                " msg=\"greeting world\"").endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        // the interceptor's own line at the end of each activity names the run as well
        ILoggingEvent end = ended.list.stream().filter(e -> e.getFormattedMessage().startsWith("activity Greet completed in "))
                .findFirst().orElseThrow();
        assertThat(new LogfmtLayout().doLayout(end)).contains(" run_id=curation-run-42 ", " activity=Greet ");
    }

    @Test
    void theContextIsRestoredAfterTheRun() {
        MDC.put(RunContext.RUN_ID, "outer");
        try {
            RunContext.within("inner", "W", "A", () -> {
                assertThat(MDC.get(RunContext.RUN_ID)).isEqualTo("inner");
                assertThat(MDC.get(RunContext.ACTIVITY)).isEqualTo("A");
                return null;
            });
            assertThat(MDC.get(RunContext.RUN_ID)).isEqualTo("outer");
            assertThat(MDC.get(RunContext.ACTIVITY)).isNull();
        } finally {
            MDC.clear();
        }
    }
}
