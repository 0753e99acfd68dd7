package io.panavec.bench.ann;

/** One measured point of a recall/QPS curve: the effort knob's value, mean recall@k, median single-thread QPS. */
public record CurvePoint(int effort, double recall, double qps) {}
