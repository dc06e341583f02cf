package io.casewatch.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code casewatch probe URL}: exit 0 when the URL answers 2xx, else 1. A container health check that needs no shell,
 * curl or {@code /dev/tcp} (the image is a bare JRE; Compose runs {@code CMD-SHELL} checks with {@code /bin/sh},
 * which has no {@code /dev/tcp}).
 */
@Command(name = "probe", mixinStandardHelpOptions = true, description = "Exit 0 if the URL answers 2xx (a container health check).")
public final class ProbeCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "e.g. http://127.0.0.1:8080/health")
    URI url;

    @Option(names = "--timeout", defaultValue = "PT3S", description = "Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
            int code = http.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            System.out.println(url + " " + code);
            return code / 100 == 2 ? 0 : 1;
        } catch (IOException e) {
            System.out.println(url + " did not answer: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
