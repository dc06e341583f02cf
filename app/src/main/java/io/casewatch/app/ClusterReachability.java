package io.casewatch.app;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Waits, for a bounded time, until one broker of the cluster answers. Without it an unreachable cluster showed as a
 * Kafka client WARN line every 100 ms to 1 s, forever, and nothing that said what to check; with it {@code run} gives
 * up after {@code casewatch.startup.timeout} with one line naming the address tried, the security protocol and how
 * long it tried, and exits 1 (an orchestrator restarts it with a back-off; {@code /ready} stayed false meanwhile).
 */
final class ClusterReachability {

    private ClusterReachability() {
    }

    /**
     * @throws PipelineFailure when no broker answered within {@code timeout}, or the login was refused
     */
    static void await(Admin admin, String bootstrapServers, String securityProtocol, Duration timeout, String applicationId) {
        long started = System.nanoTime();
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())))
                    .nodes().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(bootstrapServers, securityProtocol, started, e.getCause());
            }
            throw AccessCheck.failure(e.getCause(), applicationId);
        } catch (TimeoutException e) {
            throw unreachable(bootstrapServers, securityProtocol, started, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineFailure("interrupted while waiting for the Kafka cluster at " + bootstrapServers, e);
        }
    }

    static PipelineFailure unreachable(String bootstrapServers, String securityProtocol, long startedNanos, Throwable cause) {
        long seconds = Math.round((System.nanoTime() - startedNanos) / 1e9);
        return new PipelineFailure("cannot reach the Kafka cluster: no broker of bootstrap.servers=" + bootstrapServers + " answered in "
                + seconds + " s (security.protocol=" + securityProtocol + ", casewatch.startup.timeout). Check the addresses and ports, "
                + "DNS, network policies, and that the listener's protocol is " + securityProtocol + "; then restart.", cause);
    }
}
