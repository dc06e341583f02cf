package io.casewatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import io.casewatch.app.DemoCommand;
import io.casewatch.app.ImportCsvCommand;
import io.casewatch.app.ReplayCommand;
import io.casewatch.app.ReportCommand;
import io.casewatch.app.RunCommand;
import io.casewatch.app.TopicsCommand;

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
