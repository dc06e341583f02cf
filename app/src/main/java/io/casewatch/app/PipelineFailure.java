package io.casewatch.app;

/**
 * Why casewatch cannot run, in words an operator can act on (a missing ACL, a failed login, a missing topic). The
 * message names the resource and the permission and never carries configuration values: it is logged as it is.
 */
public final class PipelineFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PipelineFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
