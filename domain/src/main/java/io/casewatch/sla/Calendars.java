package io.casewatch.sla;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The calendars casewatch knows: the presets shipped as versioned data under {@code casewatch/calendars/}
 * (CN, GB, DE, US, each naming its source), plus any an operator adds in a file.
 */
public final class Calendars {

    public static final List<String> PRESETS = List.of("CN", "GB", "DE", "US");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, BusinessCalendar> byId;

    private Calendars(Map<String, BusinessCalendar> byId) {
        this.byId = Map.copyOf(byId);
    }

    /** The shipped calendars, read once: each builds its {@link DayTable} on first use, which is worth sharing. */
    public static Calendars presets() {
        return Presets.INSTANCE;
    }

    private static final class Presets {
        static final Calendars INSTANCE = readPresets();
    }

    private static Calendars readPresets() {
        Map<String, BusinessCalendar> map = new LinkedHashMap<>();
        for (String id : PRESETS) {
            String path = "/casewatch/calendars/" + id + ".json";
            try (InputStream in = Calendars.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing calendar resource " + path);
                }
                map.put(id, toCalendar(JSON.readValue(in, CalendarFile.class), path));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read calendar " + path, e);
            }
        }
        map.put("UTC", BusinessCalendar.weekdays("UTC", ZoneOffset.UTC));
        return new Calendars(map);
    }

    /** These calendars plus (or overriding) the ones in a JSON file of the preset format. */
    public Calendars with(Path file) {
        Map<String, BusinessCalendar> map = new LinkedHashMap<>(byId);
        try {
            BusinessCalendar cal = toCalendar(JSON.readValue(Files.readAllBytes(file), CalendarFile.class), file.toString());
            map.put(cal.id(), cal);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read calendar file " + file + ": " + e.getMessage(), e);
        }
        return new Calendars(map);
    }

    public Calendars with(BusinessCalendar calendar) {
        Map<String, BusinessCalendar> map = new LinkedHashMap<>(byId);
        map.put(calendar.id(), calendar);
        return new Calendars(map);
    }

    public Optional<BusinessCalendar> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public BusinessCalendar get(String id) {
        BusinessCalendar cal = byId.get(id);
        if (cal == null) {
            throw new IllegalArgumentException("unknown calendar '" + id + "'; known: " + byId.keySet());
        }
        return cal;
    }

    public Set<String> ids() {
        return byId.keySet();
    }

    private static BusinessCalendar toCalendar(CalendarFile f, String where) {
        try {
            Set<DayOfWeek> week = new HashSet<>();
            f.workingWeek.forEach(d -> week.add(DayOfWeek.valueOf(d)));
            Set<LocalDate> holidays = new HashSet<>();
            f.holidays.forEach(d -> holidays.add(LocalDate.parse(d)));
            Set<LocalDate> makeUp = new HashSet<>();
            f.makeUpWorkdays.forEach(d -> makeUp.add(LocalDate.parse(d)));
            return new BusinessCalendar(f.id, ZoneId.of(f.zone), week, LocalTime.parse(f.opens), LocalTime.parse(f.closes),
                    holidays, makeUp, Set.copyOf(f.provisionalYears), f.source);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("calendar " + where + " is invalid: " + e.getMessage(), e);
        }
    }

    @JsonIgnoreProperties(value = {"name"})
    static final class CalendarFile {
        public String id;
        public String zone;
        public List<String> workingWeek = List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY");
        public String opens = "09:00";
        public String closes = "17:00";
        public String source = "";
        public List<Integer> provisionalYears = List.of();
        public List<String> holidays = List.of();
        public List<String> makeUpWorkdays = List.of();
    }
}
