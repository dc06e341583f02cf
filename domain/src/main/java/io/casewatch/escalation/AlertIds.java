package io.casewatch.escalation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.casewatch.schema.AlertKind;
import io.casewatch.schema.Level;

/**
 * Deterministic alert ids: the same case, kind, episode and level always give the same id, on any instance, in
 * replay as in production, so that the id is the dedup key downstream (a pager's dedup key).
 */
public final class AlertIds {
    private AlertIds() {
    }

    public static String of(String caseId, AlertKind kind, int episode, Level level) {
        return digest(caseId + '\u0000' + kind.name() + '\u0000' + episode + '\u0000' + level.name());
    }

    /** The re-escalation of {@code rootAlertId} to {@code level}. */
    public static String unacked(String rootAlertId, Level level) {
        return digest(rootAlertId + '\u0000' + AlertKind.ESCALATION_UNACKED.name() + '\u0000' + level.name());
    }

    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
