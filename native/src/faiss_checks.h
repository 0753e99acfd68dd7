// Structural checks of a FAISS index read from a file, before anything searches it.
#pragma once

#include <faiss/Index.h>

// Throws std::runtime_error naming the first inconsistent field (counts against array sizes,
// HNSW levels and neighbour ids in range, PQ M x nbits against d, transform chain dimensions), or
// naming the index type when it is not one panavec knows how to check.
void pv_faiss_check_structure(const faiss::Index *index);
