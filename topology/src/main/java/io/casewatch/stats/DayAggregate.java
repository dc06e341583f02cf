package io.casewatch.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

import io.casewatch.schema.internal.Figure;
import io.casewatch.schema.internal.MerchantFact;

/**
 * One merchant's facts of one local day, kept so that the day's window and every 30-day window holding the day
 * can be computed exactly. Facts of cases not counted for the same figure within the previous 29 days count in
 * every window holding the day ("fresh": counters and a KLL sketch of hours to resolve); the rare others
 * ("repeats": a case counted again within 30 days, after a reopening) are kept one by one with the first 30-day
 * window they count in.
 */
final class DayAggregate {

    static final int FIGURES = 7;
    /** KLL accuracy parameter: about 1.65% normalised rank error, items kept exactly up to 200 per sketch. */
    static final int K = 200;
    private static final byte VERSION = 1;

    /** A fact counted in the day window and in the 30-day windows starting from {@code firstWindow}. */
    record Repeat(int figure, int firstWindow, double hours) {
    }

    final String zone;
    final long[] fresh = new long[FIGURES];
    final List<Repeat> repeats = new ArrayList<>(0);
    KllDoublesSketch freshHours;

    DayAggregate(String zone) {
        this.zone = zone;
    }

    void add(MerchantFact f) {
        int fig = f.getFigure().ordinal();
        int first = StatsDays.firstRollingWindow(f.getDay(), f.getPrevDay());
        double hours = f.getHours() == null ? Double.NaN : f.getHours();
        if (StatsDays.countsInEveryWindow(f.getDay(), first)) {
            fresh[fig]++;
            if (f.getFigure() == Figure.RESOLVED && !Double.isNaN(hours)) {
                if (freshHours == null) {
                    freshHours = KllDoublesSketch.newHeapInstance(K);
                }
                freshHours.update(hours);
            }
        } else {
            repeats.add(new Repeat(fig, first, hours));
        }
    }

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeUTF(zone);
            for (long n : fresh) {
                out.writeLong(n);
            }
            out.writeInt(repeats.size());
            for (Repeat r : repeats) {
                out.writeByte(r.figure());
                out.writeInt(r.firstWindow());
                out.writeDouble(r.hours());
            }
            byte[] sketch = freshHours == null ? new byte[0] : freshHours.toByteArray();
            out.writeInt(sketch.length);
            out.write(sketch);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The time zone of a stored aggregate, without decoding the rest. */
    static String zoneOf(byte[] b) {
        try {
            return open(b).readUTF();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stored aggregate past its version byte. */
    private static DataInputStream open(byte[] b) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("day aggregate version " + version + " is not readable by this build");
        }
        return in;
    }

    static DayAggregate fromBytes(byte[] b) {
        try {
            DataInputStream in = open(b);
            DayAggregate a = new DayAggregate(in.readUTF());
            for (int i = 0; i < FIGURES; i++) {
                a.fresh[i] = in.readLong();
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                a.repeats.add(new Repeat(in.readByte(), in.readInt(), in.readDouble()));
            }
            int len = in.readInt();
            if (len > 0) {
                byte[] sketch = in.readNBytes(len);
                a.freshHours = KllDoublesSketch.heapify(Memory.wrap(sketch));
            }
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
