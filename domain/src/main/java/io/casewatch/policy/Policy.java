package io.casewatch.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.casewatch.schema.AlertKind;
import io.casewatch.schema.Level;
import io.casewatch.sla.Budget;

/**
 * An SLA policy (SPEC section 5): which cases it matches, its calendar, its clocks, and the rules of the
 * detections that depend on it. A clock that is null is not timed under this policy.
 *
 * @param source            the rule this policy implements, cited for compliance records
 * @param effectiveFrom     the policy applies to open cases from this instant (a newer version of the same id replaces
 *                          an older one from then on)
 * @param exclusionReasons  AWAITING_CUSTOMER reasons that also stop the statutory clock (e.g. EXTERNAL_APPRAISAL)
 * @param restartOnReopen   REOPENED restarts resolution and statutory clocks (new facts); otherwise the time between
 *                          RESOLVED and REOPENED is excluded and the clocks continue
 * @param inboundResumes    an INBOUND contact while AWAITING_CUSTOMER ends the wait as RESUMED would
 */
public record Policy(
        String id,
        String source,
        Instant effectiveFrom,
        Match match,
        String calendarId,
        ClockSpec firstResponse,
        Budget nextReply,
        ClockSpec resolution,
        ClockSpec statutory,
        boolean countBotReplies,
        boolean afterHoursRollsToNextBusinessDay,
        boolean restartOnReopen,
        Set<String> exclusionReasons,
        boolean inboundResumes,
        Map<Level, Duration> ackTimes,
        StallRule stall,
        int reopenLoopThreshold,
        Map<AlertKind, Level> levels,
        Level minimumLevel) {

    public static final Map<Level, Duration> DEFAULT_ACK_TIMES = Map.of(
            Level.L1, Duration.ofHours(4), Level.L2, Duration.ofHours(24), Level.L3, Duration.ofHours(24));

    public Policy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(calendarId, "calendar");
        exclusionReasons = Set.copyOf(exclusionReasons);
        ackTimes = Map.copyOf(ackTimes);
        levels = Map.copyOf(levels);
        Objects.requireNonNull(stall, "stall");
        Objects.requireNonNull(minimumLevel, "minimumLevel");
        if (reopenLoopThreshold < 1) {
            throw new IllegalArgumentException("policy " + id + ": reopenLoop must be at least 1");
        }
        for (Level l : Level.values()) {
            if (!ackTimes.containsKey(l)) {
                throw new IllegalArgumentException("policy " + id + ": ackTimes has no " + l);
            }
        }
    }

    /** SPEC section 4 default levels. */
    public static Level defaultLevel(AlertKind kind) {
        return switch (kind) {
            case RESOLUTION_BREACH, STALL_LOOP, REOPEN_LOOP -> Level.L2;
            case STATUTORY_BREACH -> Level.L3;
            default -> Level.L1;
        };
    }

    /** The level an alert of this kind starts at under this policy, never below the policy's minimum. */
    public Level levelOf(AlertKind kind) {
        Level l = levels.getOrDefault(kind, defaultLevel(kind));
        return l.ordinal() < minimumLevel.ordinal() ? minimumLevel : l;
    }

    public Duration ackTime(Level level) {
        return ackTimes.get(level);
    }

    /** A copy with this source and calendar. */
    public Policy withSource(String newSource, String newCalendarId) {
        Builder b = toBuilder();
        b.source = newSource;
        b.calendarId = newCalendarId;
        return b.build();
    }

    /** A copy with some fields changed, for presets and policy files that extend another policy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable copy of a policy; {@link #build()} validates. */
    public static final class Builder {
        public String id;
        public String source;
        public Instant effectiveFrom;
        public Match match;
        public String calendarId;
        public ClockSpec firstResponse;
        public Budget nextReply;
        public ClockSpec resolution;
        public ClockSpec statutory;
        public boolean countBotReplies;
        public boolean afterHoursRollsToNextBusinessDay;
        public boolean restartOnReopen;
        public Set<String> exclusionReasons;
        public boolean inboundResumes;
        public Map<Level, Duration> ackTimes;
        public StallRule stall;
        public int reopenLoopThreshold;
        public Map<AlertKind, Level> levels;
        public Level minimumLevel;

        Builder(Policy p) {
            id = p.id;
            source = p.source;
            effectiveFrom = p.effectiveFrom;
            match = p.match;
            calendarId = p.calendarId;
            firstResponse = p.firstResponse;
            nextReply = p.nextReply;
            resolution = p.resolution;
            statutory = p.statutory;
            countBotReplies = p.countBotReplies;
            afterHoursRollsToNextBusinessDay = p.afterHoursRollsToNextBusinessDay;
            restartOnReopen = p.restartOnReopen;
            exclusionReasons = p.exclusionReasons;
            inboundResumes = p.inboundResumes;
            ackTimes = new EnumMap<>(p.ackTimes);
            stall = p.stall;
            reopenLoopThreshold = p.reopenLoopThreshold;
            levels = p.levels.isEmpty() ? new EnumMap<>(AlertKind.class) : new EnumMap<>(p.levels);
            minimumLevel = p.minimumLevel;
        }

        public Builder id(String v) {
            id = v;
            return this;
        }

        public Builder match(Match v) {
            match = v;
            return this;
        }

        public Builder firstResponse(ClockSpec v) {
            firstResponse = v;
            return this;
        }

        public Builder nextReply(Budget v) {
            nextReply = v;
            return this;
        }

        public Builder resolution(ClockSpec v) {
            resolution = v;
            return this;
        }

        public Builder statutory(ClockSpec v) {
            statutory = v;
            return this;
        }

        public Builder effectiveFrom(Instant v) {
            effectiveFrom = v;
            return this;
        }

        public Builder minimumLevel(Level v) {
            minimumLevel = v;
            return this;
        }

        public Builder stall(StallRule v) {
            stall = v;
            return this;
        }

        public Policy build() {
            return new Policy(id, source, effectiveFrom, match, calendarId, firstResponse, nextReply, resolution, statutory,
                    countBotReplies, afterHoursRollsToNextBusinessDay, restartOnReopen, exclusionReasons, inboundResumes,
                    ackTimes, stall, reopenLoopThreshold, levels, minimumLevel);
        }
    }
}
