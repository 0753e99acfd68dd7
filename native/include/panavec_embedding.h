/*
 * panavec_embedding.h: gather kernels of embedding tables (key -> vector look-ups for model serving).
 *
 * A table's rows sit in a memory-mapped store, chunk by chunk (2^chunk_log2 rows of row_bytes each per
 * chunk); the kernels decode the rows a caller names straight into the caller's float buffer, one row per
 * look-up (pv_emb_gather) or pooled over variable-length bags like PyTorch's EmbeddingBag (pv_emb_bags).
 *
 * Row layouts (encoding):
 *   PV_EMB_F32     dim IEEE binary32, little-endian.
 *   PV_EMB_F16     dim IEEE binary16.
 *   PV_EMB_CODES8  a code row of panavec_quant.h: a 16-byte header (float a, float b, float norm2,
 *                  float norm2_full) then 8-bit codes c_i over dim rounded up to 32; decoded as
 *                  x_i = mean_i + a + b * c_i (per-row offset a and step b: int8 tables have mean NULL,
 *                  LVQ-8 tables the table's mean).
 *   PV_EMB_CODES4  the same with 4-bit codes in panavec_quant.h's packing (per 32 codes, 16 bytes: byte j
 *                  holds code j in its low nibble and code j + 16 in its high nibble).
 *
 * Kernels trust their arguments: the Java side checks encodings, dimensions, row numbers, offsets and
 * buffer sizes before every call. The functions are the "embedding" group of panavec.def, where each is
 * documented; the kernels dispatch through the ISA table.
 */
#ifndef PANAVEC_EMBEDDING_H
#define PANAVEC_EMBEDDING_H

#include <stdint.h>

#include "panavec.h"

#define PV_SELECT_embedding(x) x
#include "panavec_declare.h"

#endif
