package io.casewatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import io.casewatch.app.DemoCommand;
import io.casewatch.app.GenerateCommand;
import io.casewatch.app.ImportCsvCommand;
import io.casewatch.app.ReplayCommand;
import io.casewatch.app.ReportCommand;
import io.casewatch.app.RunCommand;
import io.casewatch.app.TopicsCommand;

/** The casewatch command line: {@code run}, {@code demo}, {@code replay}, {@code report}, {@code generate}, {@code import-csv}, {@code topics}. */
@Command(name = "casewatch", mixinStandardHelpOptions = true, version = "casewatch 0.1.0",
        description = "Complaint monitoring on Kafka Streams: SLA and statutory deadlines, \"still processing\" loops, merchant rates.",
        subcommands = {RunCommand.class, DemoCommand.class, ReplayCommand.class, ReportCommand.class, GenerateCommand.class,
            ImportCsvCommand.class, TopicsCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int rc = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
