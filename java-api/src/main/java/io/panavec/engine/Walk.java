package io.panavec.engine;

/** How a graph walk treats an allow-set (what the planner asks of an engine). */
public enum Walk {
    /** Plain walk; an allow-set, if given, only restricts what is returned (the walk widens until ef match). */
    POST_FILTER,
    /** Filter-aware walk (ACORN-1): only allowed nodes are scored, others crossed to their neighbours. */
    ACORN
}
