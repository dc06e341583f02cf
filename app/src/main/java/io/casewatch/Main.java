package io.casewatch;

import java.io.UncheckedIOException;

import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import io.casewatch.app.AppConfig;
import io.casewatch.app.CompareCommand;
import io.casewatch.app.DemoCommand;
import io.casewatch.app.GenerateCommand;
import io.casewatch.app.ImportCsvCommand;
import io.casewatch.app.NotifyCommand;
import io.casewatch.app.PipelineFailure;
import io.casewatch.app.ProbeCommand;
import io.casewatch.app.ReplayCommand;
import io.casewatch.app.ReportCommand;
import io.casewatch.app.RunCommand;
import io.casewatch.app.StrimziCommand;
import io.casewatch.app.TopicsCommand;
import io.casewatch.policy.PolicyFile;
import io.casewatch.replay.imports.MappingException;
import io.casewatch.stats.SketchRuntime;

/** The casewatch command line: {@code run}, {@code demo}, {@code replay}, {@code compare}, {@code report}, {@code generate}, {@code import-csv}, {@code topics}, {@code notify}, {@code probe}, {@code strimzi}. */
@Command(name = "casewatch", mixinStandardHelpOptions = true, version = "casewatch 0.1.0",
        description = "Complaint monitoring on Kafka Streams: SLA and statutory deadlines, \"still processing\" loops, merchant rates.",
        subcommands = {RunCommand.class, DemoCommand.class, ReplayCommand.class, CompareCommand.class, ReportCommand.class, GenerateCommand.class,
            ImportCsvCommand.class, TopicsCommand.class, NotifyCommand.class,
            ProbeCommand.class, StrimziCommand.class})
public final class Main implements Runnable {

    /** Exit code of a usage or configuration error: the person at the command line can fix it. */
    public static final int USAGE_ERROR = 2;
    /** Exit code of an instance that cannot run (unreachable cluster, refused login, dead stream thread). */
    public static final int RUN_FAILURE = 1;

    public static void main(String[] args) {
        int rc = commandLine().execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /**
     * The command line as {@link #main} runs it. A mistake in the arguments, the configuration or a policy or mapping
     * file prints one line naming it and exits {@value #USAGE_ERROR}; an instance that cannot run prints one line and
     * exits {@value #RUN_FAILURE}. Neither prints a stack trace: a stack trace is kept for defects.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage() + " (see "
                    + cmd.getCommandSpec().qualifiedName() + " --help)");
            cmd.getErr().flush();
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            for (Throwable t = ex; t != null; t = t.getCause()) {
                if (isUsageError(t)) {
                    cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": configuration error: " + t.getMessage());
                    cmd.getErr().flush();
                    return USAGE_ERROR;
                }
                if (t instanceof PipelineFailure || t instanceof SketchRuntime.UnsupportedJava
                        || t instanceof UncheckedIOException && t.getMessage().startsWith("cannot bind")) {
                    cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + t.getMessage());
                    cmd.getErr().flush();
                    return RUN_FAILURE;
                }
            }
            throw ex;
        });
        return cli;
    }

    /** Errors whose message names what a person got wrong, and nothing a stack trace would add. */
    static boolean isUsageError(Throwable t) {
        return t instanceof AppConfig.ConfigException || t instanceof PolicyFile.PolicyException || t instanceof MappingException
                || t instanceof ConfigException || t instanceof CommandLine.ParameterException;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
