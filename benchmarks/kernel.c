/*
 * C reference kernel for `npm run bench` (issue #15): the engine's trust pass
 * (updateTrust in src/model/submodels/learning.ts), written in plain C over the same data, so
 * the bench can say how far the engine's trust pass is from what a compiler makes of the same
 * per-tie work. The whole round (every phase of Simulation.step, the trust pass among them) is
 * benchmarks/round.c: issue #15's ratio is the engine's whole round over that one; this kernel
 * stays for the trust pass alone beside the engine's trust pass alone.
 *
 *   kernel IN OUT ROUNDS
 *
 * IN is written by benchmarks/bench.ts from a live Simulation (see writeKernelInput there): the
 * CSR tie arrays (start, withinEnd, target, weight, trust, expected), the per-leader inputs the
 * pass reads (disposition, unforced, locality, and the expectation and trustMean it writes), the
 * per-locality ones (trustUp, forcedMonths, leaderStart, leaderEnd) and the round constants.
 * The kernel runs the pass ROUNDS times on those inputs (as the bench then does with
 * updateTrust itself), times each pass, writes the arrays the pass writes to OUT (trust,
 * expected, expectation, trustMean, minTrust) so the bench can compare them byte for byte, and
 * prints one line of JSON: median and minimum ns per tie per pass, and the sum of trust.
 *
 * Same arithmetic as the engine, operation for operation (IEEE doubles, round to nearest): build
 * it without -ffast-math and with -ffp-contract=off, or the compiler fuses e + beta*(uj - e)
 * into one FMA and the bits differ. Same layout too: two doubles per tie in two arrays, the
 * locality ties' partners walked by index (they are the locality's other leaders in order),
 * the system ties' partners read from target.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPECTATION_FLOOR 0.01

typedef struct {
  int32_t n, m, nLoc, mandated;
  double tolerance, initial, beta, trustLoss, crossGain, crossLoss, mandateCostPerRound, paceCost;
  int32_t *start, *withinEnd, *target, *locality, *leaderStart, *leaderEnd;
  double *weight, *trust, *expected, *disposition, *unforced, *expectation, *trustMean;
  double *trustUp, *forcedMonths, *minTrust;
} Pass;

static FILE *in;

static void *readArray(size_t count, size_t size) {
  void *p = malloc(count * size + 8);
  if (!p) { fprintf(stderr, "kernel: out of memory\n"); exit(2); }
  if (fread(p, size, count, in) != count) { fprintf(stderr, "kernel: input too short\n"); exit(2); }
  return p;
}

/* trustAfterObservation(t, trustworthiness(uj, ui, tolerance), up, down), as learning.ts has it. */
static inline double observe(double t, double uj, double ui, double tolerance, double up, double down) {
  double o = (uj + tolerance) * (1 / (ui > EXPECTATION_FLOOR ? ui : EXPECTATION_FLOOR));
  o = o > 1 ? 1 : o;
  double d = o - t;
  return t + (d < 0 ? down : up) * d;
}

static void updateTrust(Pass *P) {
  const double tolerance = P->tolerance, initial = P->initial, beta = P->beta, trustLoss = P->trustLoss;
  const double crossGain = P->crossGain, crossLoss = P->crossLoss;
  const int32_t *restrict start = P->start, *restrict withinEnd = P->withinEnd, *restrict target = P->target;
  const int32_t *restrict locality = P->locality, *restrict leaderStart = P->leaderStart, *restrict leaderEnd = P->leaderEnd;
  const double *restrict weight = P->weight, *restrict disposition = P->disposition, *restrict unforced = P->unforced;
  const double *restrict trustUp = P->trustUp, *restrict forcedMonths = P->forcedMonths;
  double *restrict trust = P->trust, *restrict expected = P->expected, *restrict expectation = P->expectation;
  double *restrict trustMean = P->trustMean, *restrict minTrust = P->minTrust;

  for (int c = 0; c < P->nLoc; c++) minTrust[c] = leaderEnd[c] - leaderStart[c] > 1 ? 1 : initial;
  for (int i = 0; i < P->n; i++) {
    const int c = locality[i];
    const double ui = disposition[i];
    const double up = trustUp[c];
    const double resentment = P->mandated ? ui - unforced[i] : 0;
    const double penalty = P->paceCost * forcedMonths[c] + (resentment > 0 ? P->mandateCostPerRound * resentment : 0);
    double expectations = 0, sum = 0, min = minTrust[c];
    const int first = start[i], localEnd = withinEnd[i];
    if (localEnd - first != leaderEnd[c] - leaderStart[c] - 1) {
      fprintf(stderr, "kernel: leader %d: its locality ties do not match its locality\n", i);
      exit(3);
    }
    const int selfSlot = first + (i - leaderStart[c]);
    const int exposed = ui >= EXPECTATION_FLOOR;
    if (exposed && penalty == 0) {
      /* The common case: every locality tie observes and learns, no cost. */
      const double inverseOwn = 1 / ui;
      for (int k = first, j = leaderStart[c]; k < localEnd; k++, j++) {
        if (k == selfSlot) j++;
        const double uj = disposition[j];
        const double e = expected[k];
        double o = (uj + tolerance) * inverseOwn;
        o = o > 1 ? 1 : o;
        double t = trust[k];
        const double d = o - t;
        t += (d < 0 ? trustLoss : up) * d;
        trust[k] = t;
        sum += t;
        min = t < min ? t : min;
        const double next = e + beta * (uj - e);
        expected[k] = next;
        expectations += next;
      }
    } else {
      for (int k = first, j = leaderStart[c]; k < localEnd; k++, j++) {
        if (k == selfSlot) j++;
        const double uj = disposition[j];
        const double e = expected[k];
        double t = trust[k];
        if (exposed) t = observe(t, uj, ui, tolerance, up, trustLoss);
        t -= penalty;
        t = t < 0 ? 0 : t;
        trust[k] = t;
        sum += t;
        min = t < min ? t : min;
        const double next = e + beta * (uj - e);
        expected[k] = next;
        expectations += next;
      }
    }
    const int count = localEnd - first;
    double weights = count;
    const int end = start[i + 1];
    for (int k = localEnd; k < end; k++) {
      const double uj = disposition[target[k]];
      const double w = weight[k];
      const double e = expected[k];
      if (exposed) trust[k] = observe(trust[k], uj, ui, tolerance, crossGain, crossLoss);
      const double next = e + beta * (uj - e);
      expected[k] = next;
      expectations += next * w;
      weights += w;
    }
    if (weights > 0) expectation[i] = expectations / weights;
    trustMean[i] = count > 0 ? sum / count : initial;
    minTrust[c] = min;
  }
}

static int byValue(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: kernel IN OUT ROUNDS\n"); return 1; }
  const int rounds = atoi(argv[3]);
  if (rounds < 1) { fprintf(stderr, "kernel: ROUNDS must be at least 1\n"); return 1; }
  in = fopen(argv[1], "rb");
  if (!in) { perror(argv[1]); return 2; }
  int32_t header[8];
  double constants[8];
  if (fread(header, 4, 8, in) != 8 || fread(constants, 8, 8, in) != 8) { fprintf(stderr, "kernel: bad header\n"); return 2; }
  if (memcmp(header, "PSK1", 4) != 0) { fprintf(stderr, "kernel: not a kernel input (magic)\n"); return 2; }
  Pass P;
  P.n = header[1]; P.m = header[2]; P.nLoc = header[3]; P.mandated = header[4];
  P.tolerance = constants[0]; P.initial = constants[1]; P.beta = constants[2]; P.trustLoss = constants[3];
  P.crossGain = constants[4]; P.crossLoss = constants[5]; P.mandateCostPerRound = constants[6]; P.paceCost = constants[7];
  const size_t n = P.n, m = P.m, nLoc = P.nLoc;
  P.start = readArray(n + 1, 4);
  P.withinEnd = readArray(n, 4);
  P.target = readArray(m, 4);
  P.weight = readArray(m, 8);
  P.trust = readArray(m, 8);
  P.expected = readArray(m, 8);
  P.disposition = readArray(n, 8);
  P.unforced = readArray(n, 8);
  P.expectation = readArray(n, 8);
  P.trustMean = readArray(n, 8);
  P.locality = readArray(n, 4);
  P.trustUp = readArray(nLoc, 8);
  P.forcedMonths = readArray(nLoc, 8);
  P.leaderStart = readArray(nLoc, 4);
  P.leaderEnd = readArray(nLoc, 4);
  fclose(in);
  P.minTrust = malloc(nLoc * 8 + 8);
  if (!P.minTrust) { fprintf(stderr, "kernel: out of memory\n"); return 2; }

  double *ns = malloc(sizeof(double) * rounds);
  for (int r = 0; r < rounds; r++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    updateTrust(&P);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ns[r] = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / (double)m;
  }
  qsort(ns, rounds, sizeof(double), byValue);

  FILE *out = fopen(argv[2], "wb");
  if (!out) { perror(argv[2]); return 2; }
  fwrite(P.trust, 8, m, out);
  fwrite(P.expected, 8, m, out);
  fwrite(P.expectation, 8, n, out);
  fwrite(P.trustMean, 8, n, out);
  fwrite(P.minTrust, 8, nLoc, out);
  if (fclose(out) != 0) { perror(argv[2]); return 2; }

  double checksum = 0;
  for (size_t k = 0; k < m; k++) checksum += P.trust[k];
  printf("{\"nsPerTieMedian\":%.6g,\"nsPerTieMin\":%.6g,\"rounds\":%d,\"ties\":%d,\"trustSum\":%.17g}\n",
         ns[rounds / 2], ns[0], rounds, P.m, checksum);
  return 0;
}
