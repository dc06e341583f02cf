package io.casewatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import io.casewatch.app.CompareCommand;
import io.casewatch.app.DemoCommand;
import io.casewatch.app.GenerateCommand;
import io.casewatch.app.ImportCsvCommand;
import io.casewatch.app.ReplayCommand;
import io.casewatch.app.ReportCommand;
import io.casewatch.app.RunCommand;
import io.casewatch.app.TopicsCommand;

/** The casewatch command line: {@code run}, {@code demo}, {@code replay}, {@code compare}, {@code report}, {@code generate}, {@code import-csv}, {@code topics}. */
@Command(name = "casewatch", mixinStandardHelpOptions = true, version = "casewatch 0.1.0",
        description = "Complaint monitoring on Kafka Streams: SLA and statutory deadlines, \"still processing\" loops, merchant rates.",
        subcommands = {RunCommand.class, DemoCommand.class, ReplayCommand.class, CompareCommand.class, ReportCommand.class, GenerateCommand.class,
            ImportCsvCommand.class, TopicsCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int rc = commandLine().execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /**
     * The command line as {@link #main} runs it. A mistake on it (unknown option, bad value) is one line on stderr and
     * exit code 2: the usage text after it buried the message.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            String name = e.getCommandLine().getCommandName();
            e.getCommandLine().getErr().println("casewatch" + (name.equals("casewatch") ? "" : " " + name) + ": " + e.getMessage()
                    + " (see --help)");
            return 2;
        });
        return cli;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
