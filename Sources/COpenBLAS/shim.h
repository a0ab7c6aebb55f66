// Debian's libopenblas-dev puts cblas.h in the multiarch include dir; LAPACKE
// comes from liblapacke-dev and resolves against OpenBLAS's LAPACK.
#include <cblas.h>
#include <lapacke.h>
