package io.panavec.bench;

import io.panavec.bindings.panavec_h;
import io.panavec.internal.Rows;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The machine's read bandwidth, measured in the same run as the scans: a streaming sum (several
 * independent accumulators, no other work) over a native buffer the size of the float32 base, so the
 * scans' GB/s can be read as a fraction of what the memory system delivers to one core (or two).
 */
@State(Scope.Benchmark)
public class BandwidthBench {
    @Param("")
    public String dataDir;

    Arena arena;
    MemorySegment buffer;
    long floats;

    @Setup(Level.Trial)
    public void setup() {
        Path dir = BenchData.dir(dataDir);
        float[][] base = BenchData.read(dir.resolve("base.fvecs"));
        floats = (long) base.length * base[0].length;
        arena = Arena.ofShared();
        buffer = Rows.pack(arena, base, base[0].length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public double streamSum() {
        return panavec_h.pv_stream_sum_f32(buffer, floats);
    }
}
