/*
 * C reference of the engine's whole round for `npm run bench` (issue #15): every phase that
 * Simulation.step (src/model/engine.ts) runs, in the same order, written in plain C over the
 * same structure-of-arrays state, so the bench can compare the engine's round with what a
 * compiler makes of the same work (benchmarks/kernel.c is the trust pass alone).
 *
 *   round IN OUT ROUNDS
 *
 * IN is written by benchmarks/kernel.ts (writeRoundInput) from a live Simulation: a list of
 * named arrays, "PSR1" then per record a 48-byte name, a type (0 double, 1 int32, 2 uint8), a
 * count and the data padded to 8 bytes. "L.", "O.", "C.", "T." records are the leader,
 * organisation, locality and tie arrays under the engine's own property names (L.rng.s0 … the
 * per-leader random streams), "S." the state's scalars (round, demandFactor, budgetFactor),
 * "P." and "X." the scenario's parameters and switches, "K." the round constants of
 * prepareContext (K.fund: the fund's payment for each round to be run). The program runs
 * ROUNDS rounds, timing each phase with clock_gettime, writes every record back to OUT (the
 * bench compares the state records byte for byte with the engine's after the same rounds) and
 * prints one line of JSON: ns per tie of each round, their median and minimum, and each phase's
 * median ns per tie per round.
 *
 * Phases, as step() calls them: environment, regulation, decide (with its StreamBank normal
 * draws: alea's step and Acklam's inverse normal CDF), aggregateDecisions, boardDecision,
 * organisationPerformance, partnershipOutcomes, sanctions, drawTurnover and replaceLeader,
 * updateTrust, localityLearning. Same arithmetic as the engine, operation for operation (IEEE
 * doubles, round to nearest: build without -ffast-math and with -ffp-contract=off), and Math.exp,
 * Math.log and Math.pow as V8 computes them (v8math.h; glibc's differ in the last bit for 1.5%
 * of the inverse CDF's log arguments and about 10% of the model's exp and pow arguments). Leaders
 * are visited in index order (the engine's default order; the engine shows order changes
 * nothing). Paths the bench's synthetic systems never take are not written: formulas in
 * regime.rules and interventions due in the rounds run; the program refuses such an input
 * (exit 4 with a message) rather than compute something else.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "v8math.h"
#ifdef ROUND_LIBM /* -DROUND_LIBM: the C library's exp, log and pow instead (to see what V8's cost or change) */
#define v8_exp exp
#define v8_log log
#define v8_pow pow
#endif

#define NAME_BYTES 48
enum { F64 = 0, I32 = 1, U8 = 2 };
typedef struct { char name[NAME_BYTES]; uint32_t type, count; void *data; } Record;
static Record *records;
static uint32_t nRecords;

static void fail(int code, const char *format, ...) {
  va_list args;
  va_start(args, format);
  fputs("round: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  exit(code);
}
#define REFUSE(...) fail(4, __VA_ARGS__)

static const size_t typeSize[] = {8, 4, 1};
static size_t padded(size_t bytes) { return (bytes + 7) & ~(size_t)7; }

static void readInput(const char *path) {
  FILE *in = fopen(path, "rb");
  if (!in) fail(2, "cannot open %s", path);
  uint32_t head[2];
  if (fread(head, 4, 2, in) != 2 || memcmp(head, "PSR1", 4) != 0) fail(2, "%s is not a round input", path);
  nRecords = head[1];
  records = calloc(nRecords, sizeof(Record));
  for (uint32_t r = 0; r < nRecords; r++) {
    Record *R = &records[r];
    if (fread(R->name, 1, NAME_BYTES, in) != NAME_BYTES || fread(&R->type, 4, 1, in) != 1 || fread(&R->count, 4, 1, in) != 1) fail(2, "input too short");
    if (R->type > U8) fail(2, "record %.48s: unknown type %u", R->name, R->type);
    const size_t bytes = padded(R->count * typeSize[R->type]);
    R->data = malloc(bytes + 8);
    if (!R->data) fail(2, "out of memory");
    if (fread(R->data, 1, bytes, in) != bytes) fail(2, "record %.48s: input too short", R->name);
  }
  fclose(in);
}

static void writeOutput(const char *path) {
  FILE *out = fopen(path, "wb");
  if (!out) fail(2, "cannot open %s", path);
  const uint32_t head[2] = {0x31525350 /* "PSR1" */, nRecords};
  fwrite(head, 4, 2, out);
  for (uint32_t r = 0; r < nRecords; r++) {
    const Record *R = &records[r];
    fwrite(R->name, 1, NAME_BYTES, out);
    fwrite(&R->type, 4, 1, out);
    fwrite(&R->count, 4, 1, out);
    fwrite(R->data, 1, padded(R->count * typeSize[R->type]), out);
  }
  if (fclose(out) != 0) fail(2, "cannot write %s", path);
}

/* The record `name` of `type` with `count` entries (any count if count is 0). */
static void *find(const char *name, uint32_t type, size_t count) {
  for (uint32_t r = 0; r < nRecords; r++) {
    Record *R = &records[r];
    if (strncmp(R->name, name, NAME_BYTES) != 0) continue;
    if (R->type != type) fail(2, "record %s has type %u, expected %u", name, R->type, type);
    if (count && R->count != count) fail(2, "record %s has %u entries, expected %zu", name, R->count, count);
    return R->data;
  }
  fail(2, "input lacks record %s", name);
  return NULL;
}
static size_t countOf(const char *name) {
  for (uint32_t r = 0; r < nRecords; r++) if (strncmp(records[r].name, name, NAME_BYTES) == 0) return records[r].count;
  fail(2, "input lacks record %s", name);
  return 0;
}
static double constant(const char *name) { return *(double *)find(name, F64, 1); }

/* JavaScript's Math.min and Math.max: NaN if either is NaN, −0 below +0. */
static inline double jsMin(double a, double b) {
  if (a != a || b != b) return NAN;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static inline double jsMax(double a, double b) {
  if (a != a || b != b) return NAN;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}
static inline double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }
/* sharePerRound (context.ts): 1 − exp(−rate/roundsPerYear). */
static inline double sharePerRound(double rate, double perYear) { return 1 - v8_exp(-rate / perYear); }

/* One alea stream bank (rng.ts StreamBank): four arrays, one slot per entity. */
typedef struct { double *c, *s0, *s1, *s2; } Bank;
static inline double bankNext(Bank *B, int slot) {
  const double t = 2091639 * B->s0[slot] + B->c[slot] * 2.3283064365386963e-10;
  B->s0[slot] = B->s1[slot];
  B->s1[slot] = B->s2[slot];
  const double carry = (double)(int32_t)t; /* t | 0: t is in [0, 2091640) */
  B->c[slot] = carry;
  const double u = t - carry;
  B->s2[slot] = u;
  return u;
}

/* inverseNormal (rng.ts): Acklam's rational approximation. */
static inline double inverseNormal(double u) {
  static const double A1 = -3.969683028665376e1, A2 = 2.209460984245205e2, A3 = -2.759285104469687e2;
  static const double A4 = 1.38357751867269e2, A5 = -3.066479806614716e1, A6 = 2.506628277459239;
  static const double B1 = -5.447609879822406e1, B2 = 1.615858368580409e2, B3 = -1.556989798598866e2;
  static const double B4 = 6.680131188771972e1, B5 = -1.328068155288572e1;
  static const double C1 = -7.784894002430293e-3, C2 = -3.223964580411365e-1, C3 = -2.400758277161838;
  static const double C4 = -2.549732539343734, C5 = 4.374664141464968, C6 = 2.938163982698783;
  static const double D1 = 7.784695709041462e-3, D2 = 3.224671290700398e-1, D3 = 2.445134137142996, D4 = 3.754408661907416;
  static const double P_LOW = 0.02425;
  const double p = u > 0 ? u : 9.094947017729282e-13;
  if (p < P_LOW || p > 1 - P_LOW) {
    const double q = sqrt(-2 * v8_log(p < P_LOW ? p : 1 - p));
    const double x = (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const double q = p - 0.5;
  const double r = q * q;
  return ((((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q) /
         (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1);
}

/* ---- the state (names as in src/model/state.ts) ---- */
static int32_t nL, nO, nC, nT;
static int32_t *round_;
static double *demandFactor, *budgetFactor;
/* leaders */
static int32_t *L_org, *L_locality, *L_tenure;
static uint8_t *L_type;
static double *L_power, *L_control, *L_focus, *L_focusHome, *L_altruism, *L_ambition, *L_riskAppetite, *L_expectation,
    *L_disposition, *L_unforced, *L_distributedPower, *L_sanctionPressure, *L_resources, *L_pooled, *L_cost, *L_retained,
    *L_trustMean;
static Bank L_rng;
/* organisations */
static int32_t *O_locality, *O_leaderStart, *O_leaderEnd;
static uint8_t *O_isCouncil, *O_isAcute, *O_isCommissioner;
static double *O_budget0, *O_budget, *O_exposure, *O_performanceBase, *O_target, *O_performance, *O_regulatoryFactor,
    *O_shortfall, *O_localityShare, *O_pressure, *O_feltNeed, *O_incomeLoss, *O_referencePerformance;
/* localities */
static int32_t *C_leaderStart, *C_leaderEnd, *C_orgStart, *C_orgEnd, *C_roundsActive, *C_fundWindowRounds, *C_roundsSinceAssessment;
static uint8_t *C_formula, *C_stage, *C_decided, *C_forced, *C_conflict, *C_veto;
static double *C_budget0, *C_meanAmbition, *C_meanFollowership, *C_pool, *C_vision, *C_understanding, *C_friction,
    *C_outcome, *C_baseline, *C_trendOutcome, *C_lag1, *C_lag2, *C_lag3, *C_valueStock, *C_servicesLife, *C_poolOwn,
    *C_perceivedReturn, *C_smoothedValue, *C_smoothedPooled, *C_fundEscrow, *C_fundForfeited, *C_fundWindowMean,
    *C_fundWindowMin, *C_fundWindowDecisions, *C_contributions, *C_deployed, *C_idleLost, *C_fundEntitled, *C_fundPaid,
    *C_scope, *C_scale, *C_value, *C_cost, *C_resources, *C_minDisposition, *C_meanDisposition, *C_meanTrust, *C_minTrust,
    *C_engagement, *C_inequality, *C_decidedMonths, *C_forcedMonths, *C_trustUp, *C_decisionsSinceAssessment,
    *C_dispositionSinceAssessment;
static Bank C_rng;
/* ties */
static int32_t *T_start, *T_withinEnd, *T_target;
static double *T_weight, *T_trust, *T_expected;
/* scratch, as the engine's module scratch */
static double *shocks, *turnoverDraws;
static uint8_t *replaced;

/* ---- parameters (P.), switches (X.) and round constants (K.) ---- */
static double budgetPressureScale, commissionerDependence, accountability, systemTarget, penaltySeverity, rewardSeverity,
    focusSensitivity, conditionalSlope, decisionNoise, engagementThreshold, returnSensitivity, budgetEnabling,
    budgetRetreat, fundBeliefSpread, mandateFloor, gainShare, collectiveThreshold, formulaThreshold, costRate,
    difficulty, sizeDifficulty, inequalityPenalty, performingEase, trustGain, meetingGainShare, roundsPerYear,
    leadCommissioningCap, integratedProvisionCap, integratedProvisionBonus, understandingWeight, scopeEfficiency,
    scaleEfficiency, baseEfficiency, servicesLifeYears, healthFade, valueDecay, trendPerYear, halfSaturation,
    lifeExpectancyPerIndex, demandRelief, focusPerformanceBonus, winterShock, sanctionStrength, trustInitial,
    structuralPartnering, priorBelief, turnoverMemoryLoss, reciprocityTolerance, paceCost, priorReturn, visionGain,
    normingTrust, performingTrust, performingUnderstanding, regressTrust, regressUnderstanding;
static int mandated, balancedBudgetDuty, fundCollective, requirePlan, consensusRequired, leadCommissioningAllowed,
    integratedProvisionAllowed, sanctionsEnabled;
static double budgetGrowthPerRound, demandGrowthPerRound, budgetAdaptation, monthsPerRound, poolCap, paceMonthly,
    pacePerRound, idleLoss, performanceResponse, servicesSmoothing, lagOutflow, sanctionMemory, focusRecovery,
    turnoverPerRound, beliefWeight, trustLoss, crossGain, crossLoss, mandateCostPerRound, returnWeight,
    understandingRate, frictionShare;
static int32_t assessmentRounds, fundAssessmentRounds, stormingRounds, firstRound;
static double *fundByRound;
static size_t fundRounds;

#define LOAD_F(var, name, count) var = find(name, F64, count)
#define LOAD_I(var, name, count) var = find(name, I32, count)
#define LOAD_U(var, name, count) var = find(name, U8, count)

static void loadState(void) {
  nL = (int32_t)countOf("L.disposition");
  nO = (int32_t)countOf("O.budget");
  nC = (int32_t)countOf("C.pool");
  nT = (int32_t)countOf("T.trust");
  LOAD_I(round_, "S.round", 1);
  LOAD_F(demandFactor, "S.demandFactor", 1);
  LOAD_F(budgetFactor, "S.budgetFactor", 1);
  LOAD_I(L_org, "L.org", nL); LOAD_I(L_locality, "L.locality", nL); LOAD_I(L_tenure, "L.tenure", nL);
  LOAD_U(L_type, "L.type", nL);
  LOAD_F(L_power, "L.power", nL); LOAD_F(L_control, "L.control", nL); LOAD_F(L_focus, "L.focus", nL);
  LOAD_F(L_focusHome, "L.focusHome", nL); LOAD_F(L_altruism, "L.altruism", nL); LOAD_F(L_ambition, "L.ambition", nL);
  LOAD_F(L_riskAppetite, "L.riskAppetite", nL); LOAD_F(L_expectation, "L.expectation", nL);
  LOAD_F(L_disposition, "L.disposition", nL); LOAD_F(L_unforced, "L.unforced", nL);
  LOAD_F(L_distributedPower, "L.distributedPower", nL); LOAD_F(L_sanctionPressure, "L.sanctionPressure", nL);
  LOAD_F(L_resources, "L.resources", nL); LOAD_F(L_pooled, "L.pooled", nL); LOAD_F(L_cost, "L.cost", nL);
  LOAD_F(L_retained, "L.retained", nL); LOAD_F(L_trustMean, "L.trustMean", nL);
  LOAD_F(L_rng.c, "L.rng.c", nL); LOAD_F(L_rng.s0, "L.rng.s0", nL); LOAD_F(L_rng.s1, "L.rng.s1", nL); LOAD_F(L_rng.s2, "L.rng.s2", nL);

  LOAD_I(O_locality, "O.locality", nO); LOAD_I(O_leaderStart, "O.leaderStart", nO); LOAD_I(O_leaderEnd, "O.leaderEnd", nO);
  LOAD_U(O_isCouncil, "O.isCouncil", nO); LOAD_U(O_isAcute, "O.isAcute", nO); LOAD_U(O_isCommissioner, "O.isCommissioner", nO);
  LOAD_F(O_budget0, "O.budget0", nO); LOAD_F(O_budget, "O.budget", nO); LOAD_F(O_exposure, "O.exposure", nO);
  LOAD_F(O_performanceBase, "O.performanceBase", nO); LOAD_F(O_target, "O.target", nO);
  LOAD_F(O_performance, "O.performance", nO); LOAD_F(O_regulatoryFactor, "O.regulatoryFactor", nO);
  LOAD_F(O_shortfall, "O.shortfall", nO); LOAD_F(O_localityShare, "O.localityShare", nO);
  LOAD_F(O_pressure, "O.pressure", nO); LOAD_F(O_feltNeed, "O.feltNeed", nO); LOAD_F(O_incomeLoss, "O.incomeLoss", nO);
  LOAD_F(O_referencePerformance, "O.referencePerformance", nO);

  LOAD_I(C_leaderStart, "C.leaderStart", nC); LOAD_I(C_leaderEnd, "C.leaderEnd", nC);
  LOAD_I(C_orgStart, "C.orgStart", nC); LOAD_I(C_orgEnd, "C.orgEnd", nC);
  LOAD_I(C_roundsActive, "C.roundsActive", nC); LOAD_I(C_fundWindowRounds, "C.fundWindowRounds", nC);
  LOAD_I(C_roundsSinceAssessment, "C.roundsSinceAssessment", nC);
  LOAD_U(C_formula, "C.formula", nC); LOAD_U(C_stage, "C.stage", nC); LOAD_U(C_decided, "C.decided", nC);
  LOAD_U(C_forced, "C.forced", nC); LOAD_U(C_conflict, "C.conflict", nC); LOAD_U(C_veto, "C.veto", nC);
  LOAD_F(C_budget0, "C.budget0", nC); LOAD_F(C_meanAmbition, "C.meanAmbition", nC);
  LOAD_F(C_meanFollowership, "C.meanFollowership", nC); LOAD_F(C_pool, "C.pool", nC); LOAD_F(C_vision, "C.vision", nC);
  LOAD_F(C_understanding, "C.understanding", nC); LOAD_F(C_friction, "C.friction", nC); LOAD_F(C_outcome, "C.outcome", nC);
  LOAD_F(C_baseline, "C.baseline", nC); LOAD_F(C_trendOutcome, "C.trendOutcome", nC);
  LOAD_F(C_lag1, "C.lag1", nC); LOAD_F(C_lag2, "C.lag2", nC); LOAD_F(C_lag3, "C.lag3", nC);
  LOAD_F(C_valueStock, "C.valueStock", nC); LOAD_F(C_servicesLife, "C.servicesLife", nC); LOAD_F(C_poolOwn, "C.poolOwn", nC);
  LOAD_F(C_perceivedReturn, "C.perceivedReturn", nC); LOAD_F(C_smoothedValue, "C.smoothedValue", nC);
  LOAD_F(C_smoothedPooled, "C.smoothedPooled", nC); LOAD_F(C_fundEscrow, "C.fundEscrow", nC);
  LOAD_F(C_fundForfeited, "C.fundForfeited", nC); LOAD_F(C_fundWindowMean, "C.fundWindowMean", nC);
  LOAD_F(C_fundWindowMin, "C.fundWindowMin", nC); LOAD_F(C_fundWindowDecisions, "C.fundWindowDecisions", nC);
  LOAD_F(C_contributions, "C.contributions", nC); LOAD_F(C_deployed, "C.deployed", nC); LOAD_F(C_idleLost, "C.idleLost", nC);
  LOAD_F(C_fundEntitled, "C.fundEntitled", nC); LOAD_F(C_fundPaid, "C.fundPaid", nC); LOAD_F(C_scope, "C.scope", nC);
  LOAD_F(C_scale, "C.scale", nC); LOAD_F(C_value, "C.value", nC); LOAD_F(C_cost, "C.cost", nC);
  LOAD_F(C_resources, "C.resources", nC); LOAD_F(C_minDisposition, "C.minDisposition", nC);
  LOAD_F(C_meanDisposition, "C.meanDisposition", nC); LOAD_F(C_meanTrust, "C.meanTrust", nC);
  LOAD_F(C_minTrust, "C.minTrust", nC); LOAD_F(C_engagement, "C.engagement", nC); LOAD_F(C_inequality, "C.inequality", nC);
  LOAD_F(C_decidedMonths, "C.decidedMonths", nC); LOAD_F(C_forcedMonths, "C.forcedMonths", nC);
  LOAD_F(C_trustUp, "C.trustUp", nC); LOAD_F(C_decisionsSinceAssessment, "C.decisionsSinceAssessment", nC);
  LOAD_F(C_dispositionSinceAssessment, "C.dispositionSinceAssessment", nC);
  LOAD_F(C_rng.c, "C.rng.c", nC); LOAD_F(C_rng.s0, "C.rng.s0", nC); LOAD_F(C_rng.s1, "C.rng.s1", nC); LOAD_F(C_rng.s2, "C.rng.s2", nC);

  LOAD_I(T_start, "T.start", (size_t)nL + 1); LOAD_I(T_withinEnd, "T.withinEnd", nL); LOAD_I(T_target, "T.target", nT);
  LOAD_F(T_weight, "T.weight", nT); LOAD_F(T_trust, "T.trust", nT); LOAD_F(T_expected, "T.expected", nT);
  shocks = malloc(sizeof(double) * nL + 8);
  turnoverDraws = malloc(sizeof(double) * nL + 8);
  replaced = malloc(nL + 8);
  if (!shocks || !turnoverDraws || !replaced) fail(2, "out of memory");
}

static int flag(const char *name) { return constant(name) != 0; }

static void loadParameters(void) {
  budgetPressureScale = constant("P.budgetPressureScale"); commissionerDependence = constant("P.commissionerDependence");
  accountability = constant("P.accountability"); systemTarget = constant("P.systemTarget");
  penaltySeverity = constant("P.penaltySeverity"); rewardSeverity = constant("P.rewardSeverity");
  focusSensitivity = constant("P.focusSensitivity"); conditionalSlope = constant("P.conditionalSlope");
  decisionNoise = constant("P.decisionNoise"); engagementThreshold = constant("P.engagementThreshold");
  returnSensitivity = constant("P.returnSensitivity"); budgetEnabling = constant("P.budgetEnabling");
  budgetRetreat = constant("P.budgetRetreat"); fundBeliefSpread = constant("P.fundBeliefSpread");
  mandateFloor = constant("P.mandateFloor"); gainShare = constant("P.gainShare");
  collectiveThreshold = constant("P.collectiveThreshold"); formulaThreshold = constant("P.formulaThreshold");
  costRate = constant("P.costRate"); difficulty = constant("P.difficulty"); sizeDifficulty = constant("P.sizeDifficulty");
  inequalityPenalty = constant("P.inequalityPenalty"); performingEase = constant("P.performingEase");
  trustGain = constant("P.trustGain"); meetingGainShare = constant("P.meetingGainShare");
  roundsPerYear = constant("P.roundsPerYear"); leadCommissioningCap = constant("P.leadCommissioningCap");
  integratedProvisionCap = constant("P.integratedProvisionCap"); integratedProvisionBonus = constant("P.integratedProvisionBonus");
  understandingWeight = constant("P.understandingWeight"); scopeEfficiency = constant("P.scopeEfficiency");
  scaleEfficiency = constant("P.scaleEfficiency"); baseEfficiency = constant("P.baseEfficiency");
  servicesLifeYears = constant("P.servicesLifeYears"); healthFade = constant("P.healthFade");
  valueDecay = constant("P.valueDecay"); trendPerYear = constant("P.trend"); halfSaturation = constant("P.halfSaturation");
  lifeExpectancyPerIndex = constant("P.lifeExpectancyPerIndex"); demandRelief = constant("P.demandRelief");
  focusPerformanceBonus = constant("P.focusPerformanceBonus"); winterShock = constant("P.winterShock");
  sanctionStrength = constant("P.sanctionStrength"); trustInitial = constant("P.trustInitial");
  structuralPartnering = constant("P.structuralPartnering"); priorBelief = constant("P.priorBelief");
  turnoverMemoryLoss = constant("P.turnoverMemoryLoss"); reciprocityTolerance = constant("P.reciprocityTolerance");
  paceCost = constant("P.paceCost"); priorReturn = constant("P.priorReturn"); visionGain = constant("P.visionGain");
  normingTrust = constant("P.normingTrust"); performingTrust = constant("P.performingTrust");
  performingUnderstanding = constant("P.performingUnderstanding"); regressTrust = constant("P.regressTrust");
  regressUnderstanding = constant("P.regressUnderstanding");

  mandated = flag("X.mandated"); balancedBudgetDuty = flag("X.balancedBudgetDuty"); requirePlan = flag("X.requirePlan");
  consensusRequired = flag("X.consensusRequired"); leadCommissioningAllowed = flag("X.leadCommissioningAllowed");
  integratedProvisionAllowed = flag("X.integratedProvisionAllowed"); sanctionsEnabled = flag("X.sanctionsEnabled");
  const double condition = constant("X.fundCondition"); /* 1 collective, 0 none */
  if (condition != 0 && condition != 1) REFUSE("funding.transformationFund.condition is neither 'collective' nor 'none'");
  fundCollective = condition == 1;
  if (flag("X.rules")) REFUSE("the scenario has regime.rules formulas: the C round does not evaluate formulas");
  if (flag("X.interventionsDue")) REFUSE("an intervention falls in the rounds to run: the C round does not apply interventions");

  budgetGrowthPerRound = constant("K.budgetGrowthPerRound"); demandGrowthPerRound = constant("K.demandGrowthPerRound");
  budgetAdaptation = constant("K.budgetAdaptation"); monthsPerRound = constant("K.monthsPerRound");
  poolCap = constant("K.poolCap"); paceMonthly = constant("K.paceMonthly"); pacePerRound = constant("K.pacePerRound");
  idleLoss = constant("K.idleLoss"); performanceResponse = constant("K.performanceResponse");
  servicesSmoothing = constant("K.servicesSmoothing"); lagOutflow = constant("K.lagOutflow");
  sanctionMemory = constant("K.sanctionMemory"); focusRecovery = constant("K.focusRecovery");
  turnoverPerRound = constant("K.turnoverPerRound"); beliefWeight = constant("K.beliefWeight");
  trustLoss = constant("K.trustLoss"); crossGain = constant("K.crossGain"); crossLoss = constant("K.crossLoss");
  mandateCostPerRound = constant("K.mandateCostPerRound"); returnWeight = constant("K.returnWeight");
  understandingRate = constant("K.understandingRate"); frictionShare = constant("K.frictionShare");
  assessmentRounds = (int32_t)constant("K.assessmentRounds");
  fundAssessmentRounds = (int32_t)constant("K.fundAssessmentRounds");
  stormingRounds = (int32_t)constant("K.stormingRounds");
  fundByRound = find("K.fund", F64, 0);
  fundRounds = countOf("K.fund");
  firstRound = *round_;
}

/* ---- 1 environment (environment.ts) ---- */
static void commissionerIncomeLoss(void) {
  for (int c = 0; c < nC; c++) {
    double moved = 0, acuteBudget = 0;
    const int firstOrg = C_orgStart[c], endOrg = C_orgEnd[c];
    for (int o = firstOrg; o < endOrg; o++) {
      if (O_isCommissioner[o]) for (int i = O_leaderStart[o]; i < O_leaderEnd[o]; i++) moved += L_pooled[i];
      if (O_isAcute[o]) acuteBudget += O_budget0[o];
    }
    for (int o = firstOrg; o < endOrg; o++) {
      O_incomeLoss[o] = O_isAcute[o] && acuteBudget > 0 ? (commissionerDependence * moved * O_budget0[o]) / acuteBudget : 0;
    }
  }
}

static void environment(void) {
  const double budgetGrown = *budgetFactor * budgetGrowthPerRound;
  const double demandGrown = *demandFactor * demandGrowthPerRound;
  *budgetFactor = *round_ == 0 ? 1 : budgetGrown;
  *demandFactor = *round_ == 0 ? 1 : demandGrown;
  const double growth = *budgetFactor;
  double budgetSum = 0;
  for (int c = 0; c < nC; c++) budgetSum += C_budget0[c];
  const size_t at = (size_t)(*round_ - firstRound);
  if (at >= fundRounds) fail(2, "K.fund has no payment for round %d", *round_);
  const double fund = fundByRound[at];
  for (int c = 0; c < nC; c++) C_fundEntitled[c] = budgetSum > 0 ? (fund * C_budget0[c]) / budgetSum : 0;
  commissionerIncomeLoss();
  for (int o = 0; o < nO; o++) {
    const double budget = jsMax(0, O_budget0[o] * growth * O_regulatoryFactor[o] - O_incomeLoss[o]);
    O_budget[o] = budget;
    const double felt = O_feltNeed[o] * demandGrowthPerRound;
    const double tightness = 1 - budget / felt;
    const double x = tightness / (tightness + budgetPressureScale); /* boundedPressure */
    O_pressure[o] = tightness > 0 ? x : 0;
    O_feltNeed[o] = felt + budgetAdaptation * (budget - felt);
    const int first = O_leaderStart[o], end = O_leaderEnd[o];
    const double perLeader = budget / (end - first);
    for (int i = first; i < end; i++) L_resources[i] = perLeader;
  }
}

/* ---- 2 regulation (regulation.ts) ---- */
static void regulation(void) {
  if (!(*round_ > 0 && *round_ % assessmentRounds == 0)) return;
  const double A = accountability;
  for (int c = 0; c < nC; c++) {
    const int nLeaders = C_leaderEnd[c] - C_leaderStart[c];
    const int rounds = C_roundsSinceAssessment[c] > 0 ? C_roundsSinceAssessment[c] : assessmentRounds;
    const double meanDisposition = C_dispositionSinceAssessment[c] / ((double)rounds * nLeaders);
    const double decisionRate = C_decisionsSinceAssessment[c] / (rounds * monthsPerRound);
    const double score = 0.5 * jsMin(1, meanDisposition / systemTarget) + 0.5 * decisionRate;
    const double systemPenalty = penaltySeverity * A * (1 - score);
    const double systemReward = score >= 0.999 ? rewardSeverity * A : 0;
    for (int o = C_orgStart[c]; o < C_orgEnd[c]; o++) {
      const double target = O_target[o];
      const double shortfall = target > 0 ? jsMax(0, target - O_performance[o]) / target : 0;
      O_shortfall[o] = shortfall;
      const double orgPenalty = penaltySeverity * (1 - A) * shortfall * O_exposure[o];
      const double orgReward = shortfall == 0 ? rewardSeverity * (1 - A) * O_exposure[o] : 0;
      O_regulatoryFactor[o] = clamp(1 - orgPenalty - systemPenalty + orgReward + systemReward, 0.5, 1.5);
      for (int i = O_leaderStart[o]; i < O_leaderEnd[o]; i++) {
        const double f = L_focus[i];
        const double up = (1 - A) * O_exposure[o] * (1 + shortfall) * (1 - f);
        const double down = A * f;
        L_focus[i] = clamp(f + focusSensitivity * (up - down), 0, 1);
      }
    }
    C_decisionsSinceAssessment[c] = 0;
    C_dispositionSinceAssessment[c] = 0;
    C_roundsSinceAssessment[c] = 0;
  }
}

/* ---- 3 decisions (decisions.ts; respond from agents/leader-types.ts) ---- */
#define INV_SQRT_2PI 0.3989422804014327

static inline double respond(int code, double expectation, double slope) {
  switch (code) {
    case 0: return slope * expectation;
    case 1: return 0;
    case 2: return slope * jsMin(expectation, 1 - expectation);
    default: return 1;
  }
}

static void decide(void) {
  /* fillNormal: the uniforms in one loop, then the inverse CDF in another, as the engine draws them. */
  for (int i = 0; i < nL; i++) shocks[i] = bankNext(&L_rng, i);
  for (int i = 0; i < nL; i++) shocks[i] = inverseNormal(shocks[i]);
  for (int i = 0; i < nL; i++) {
    const int o = L_org[i], c = L_locality[i];
    const double x = O_pressure[o], f = L_focus[i], a = L_altruism[i], risk = L_riskAppetite[i], E = L_expectation[i];
    const double rho = C_perceivedReturn[c] * (risk + (1 - risk) * L_trustMean[i]);
    const double share = O_localityShare[o];
    const double own = rho * (gainShare + (1 - gainShare) * share); /* valueToLeader */
    const double v = own + a * (rho - own);
    const double councilCap = balancedBudgetDuty && O_isCouncil[o] == 1 ? 1 - x : 1;
    double fundPull = 0;
    if (fundCollective && C_fundEntitled[c] > 0) {
      const double perUnit = poolCap * councilCap * L_control[i] * L_resources[i];
      if (perUnit > 0) {
        const int n = C_leaderEnd[c] - C_leaderStart[c];
        const double z = (E - collectiveThreshold) / fundBeliefSpread;
        const double pivotal = (INV_SQRT_2PI * v8_exp(-0.5 * z * z)) / (n * fundBeliefSpread);
        const double plan = !requirePlan || C_formula[c] == 1 || formulaThreshold <= 0 ? 1 : jsMin(1, C_vision[c] / formulaThreshold);
        fundPull = (C_fundEntitled[c] * rho * (share + a * (1 - share)) * plan * pivotal) / perUnit;
      }
    }
    const double raw = (1 - f) * (a + respond(L_type[i], E, conditionalSlope))
        + returnSensitivity * (v - 1 + fundPull)
        + (budgetEnabling * 4 * x * (1 - x) - budgetRetreat * x * x) /* budgetPressureEffect */
        + L_sanctionPressure[i]
        + decisionNoise * shocks[i];
    const double cap = L_ambition[i];
    const double unforced = raw < 0 ? 0 : raw > cap ? cap : raw;
    const double u = mandated ? jsMax(unforced, mandateFloor) : unforced;
    L_unforced[i] = unforced;
    L_disposition[i] = u;
    const double distributed = u * (0.5 + risk);
    L_distributedPower[i] = distributed > 1 ? 1 : distributed;
    const double engagement = engagementThreshold > 0 ? (u > engagementThreshold ? 1 : u / engagementThreshold) : u > 0 ? 1 : 0;
    const double costAsked = costRate * (1 + C_friction[c]) * engagement;
    const double costShare = costAsked > 1 ? 1 : costAsked;
    const double poolShare = jsMin(poolCap * councilCap * u * L_control[i], 1 - costShare);
    const double available = L_resources[i];
    const double pooledHere = poolShare * available;
    const double costHere = costShare * available;
    L_pooled[i] = pooledHere;
    L_cost[i] = costHere;
    const double kept = available - pooledHere - costHere;
    L_retained[i] = kept > 0 ? kept : 0;
  }
}

/* ---- 4 the board (board.ts) ---- */
static void aggregateDecisions(void) {
  const double threshold = engagementThreshold;
  for (int c = 0; c < nC; c++) {
    double contributions = 0, cost = 0, trustSum = 0, retainedPowerSum = 0, retainedPowerMax = 0;
    double dispositionSum = 0, dispositionMin = 1, resources = 0;
    int engaged = 0;
    const int first = C_leaderStart[c], end = C_leaderEnd[c], n = end - first;
    for (int i = first; i < end; i++) {
      contributions += L_pooled[i];
      cost += L_cost[i];
      const double u = L_disposition[i];
      dispositionSum += u;
      if (u < dispositionMin) dispositionMin = u;
      if (u >= threshold) engaged++;
      resources += L_resources[i];
      trustSum += L_trustMean[i];
      const double retainedPower = L_power[i] * (1 - L_distributedPower[i]);
      retainedPowerSum += retainedPower;
      if (retainedPower > retainedPowerMax) retainedPowerMax = retainedPower;
    }
    C_contributions[c] = contributions;
    C_cost[c] = cost;
    C_engagement[c] = (double)engaged / n;
    C_resources[c] = resources;
    C_minDisposition[c] = dispositionMin;
    C_meanDisposition[c] = dispositionSum / n;
    C_meanTrust[c] = trustSum / n;
    C_dispositionSinceAssessment[c] += dispositionSum;
    C_roundsSinceAssessment[c]++;
    const double dominance = retainedPowerSum > 0 ? retainedPowerMax / retainedPowerSum : 1.0 / n;
    C_inequality[c] = n > 1 ? jsMax(0, (dominance - 1.0 / n) / (1 - 1.0 / n)) : 0;
  }
}

static void closeFundWindow(int c) {
  C_fundEscrow[c] = 0;
  C_fundWindowMean[c] = 0;
  C_fundWindowMin[c] = 0;
  C_fundWindowDecisions[c] = 0;
  C_fundWindowRounds[c] = 0;
}

static double fundBeforeDecision(int c) {
  C_fundForfeited[c] = 0;
  const int unconditional = !fundCollective;
  double settled = 0;
  if ((poolCap == 0 || unconditional) && C_fundWindowRounds[c] > 0) {
    settled = C_fundEscrow[c];
    closeFundWindow(c);
  }
  if (poolCap == 0) {
    C_fundForfeited[c] = C_fundEntitled[c] + settled;
    return 0;
  }
  if (unconditional) return C_fundEntitled[c] + settled;
  C_fundEscrow[c] += C_fundEntitled[c];
  return 0;
}

static double fundAfterDecision(int c) {
  if (poolCap == 0 || !fundCollective) return 0;
  C_fundWindowMean[c] += C_meanDisposition[c];
  C_fundWindowMin[c] += C_minDisposition[c];
  C_fundWindowDecisions[c] += C_decidedMonths[c];
  C_fundWindowRounds[c]++;
  if ((*round_ + 1) % fundAssessmentRounds != 0) return 0;
  const int rounds = C_fundWindowRounds[c];
  const double meanShare = C_fundWindowMean[c] / rounds;
  const int plan = C_formula[c];
  const int delivered = meanShare >= collectiveThreshold && (plan == 1 || !requirePlan);
  const double escrow = C_fundEscrow[c];
  closeFundWindow(c);
  if (delivered) return escrow;
  C_fundForfeited[c] += escrow;
  return 0;
}

static inline double expectedMonths(double perMonth, double perRound, double months) {
  return perRound > 0 ? (months * perMonth) / perRound : 1;
}

static void boardDecision(int c) {
  const double paid = fundBeforeDecision(c);
  C_pool[c] += C_contributions[c] + paid;
  C_poolOwn[c] += C_contributions[c];
  const double agreeDraw = bankNext(&C_rng, c);
  const double vetoDraw = bankNext(&C_rng, c);
  const double paceDraw = bankNext(&C_rng, c);
  int decided = 1, conflict = 0, veto = 0, forced = 0;
  const double months = monthsPerRound;
  double decidedMonths = months, forcedMonths = 0;
  if (consensusRequired) {
    const double monthlyBudget = C_resources[c] / months;
    const double ownRelative = monthlyBudget > 0 ? C_poolOwn[c] / monthlyBudget : 0;
    const int stage = C_stage[c];
    const double ease = stage == 3 ? performingEase : stage == 2 ? performingEase / 2 : 0;
    const double delta = difficulty * (1 + C_friction[c]) * (1 + sizeDifficulty * ownRelative) * (1 - ease);
    const double perMonth = v8_pow(C_meanTrust[c], delta) * (1 - inequalityPenalty * C_inequality[c]);
    const double p = 1 - v8_pow(1 - perMonth, months);
    decided = agreeDraw < p;
    const double q = paceMonthly;
    if (decided) {
      const double agreed = expectedMonths(perMonth, p, months);
      forcedMonths = months > 1 && months > agreed ? (months - agreed) * q : 0;
      decidedMonths = agreed + forcedMonths;
    } else {
      decidedMonths = 0;
      if (vetoDraw < C_inequality[c]) veto = 1;
      else conflict = 1;
      if (paceDraw < pacePerRound) {
        forced = 1;
        decided = 1;
        forcedMonths = expectedMonths(q, pacePerRound, months);
        decidedMonths = forcedMonths;
      }
    }
  }
  C_decidedMonths[c] = decidedMonths;
  C_forcedMonths[c] = forcedMonths;
  const double share = decidedMonths / months;
  C_trustUp[c] = sharePerRound(trustGain * (share + (1 - share) * meetingGainShare), roundsPerYear);
  C_decided[c] = decided ? 1 : 0;
  C_forced[c] = forced ? 1 : 0;
  C_conflict[c] = conflict ? 1 : 0;
  C_veto[c] = veto ? 1 : 0;
  C_decisionsSinceAssessment[c] += decidedMonths;
  const double leadShare = leadCommissioningAllowed ? leadCommissioningCap : 0;
  const double deployedShare = decided ? 1 : leadShare;
  const double pool = C_pool[c];
  const double deployed = deployedShare * pool;
  C_deployed[c] = deployed;
  const double keptShare = (1 - deployedShare) * (1 - idleLoss);
  C_idleLost[c] = (1 - deployedShare) * pool * idleLoss;
  C_pool[c] = pool * keptShare;
  C_poolOwn[c] *= keptShare;
  const double paidAfter = fundAfterDecision(c);
  C_pool[c] += paidAfter;
  C_fundPaid[c] = paid + paidAfter;
}

/* ---- 5 outcomes (outcomes.ts, need and winterShare from environment.ts) ---- */
static double winterShare(int round, double perYear) {
  const double months = 12 / perYear;
  const double start = fmod((double)round, perYear) * months; /* round % roundsPerYear: exact for these integers */
  double winter = 0;
  for (int m = 8; m < 11; m++) {
    const double overlap = jsMin(start + months, m + 1) - jsMax(start, m);
    if (overlap > 0) winter += overlap;
  }
  return winter / months;
}

static void organisationPerformance(void) {
  const double winter = winterShare(*round_, roundsPerYear) * winterShock;
  for (int o = 0; o < nO; o++) {
    double kept = 0, focusSum = 0;
    for (int i = O_leaderStart[o]; i < O_leaderEnd[o]; i++) {
      kept += L_retained[i];
      focusSum += L_focus[i];
    }
    const double meanFocus = focusSum / (O_leaderEnd[o] - O_leaderStart[o]);
    const int c = O_locality[o]; /* need(state, o) */
    const double relief = 1 - demandRelief * (C_outcome[c] - C_trendOutcome[c]);
    const double required = O_budget0[o] * *demandFactor * (relief > 0 ? relief : 0);
    const double resourced = required > 0 ? sqrt(kept > 0 ? kept / required : 0) : 1;
    const double focused = O_performanceBase[o] * (1 + focusPerformanceBonus * meanFocus);
    double attainable = focused * resourced - winter;
    attainable = attainable < 0 ? 0 : attainable > 1 ? 1 : attainable;
    O_performance[o] += performanceResponse * (attainable - O_performance[o]);
    double reference = focused - winter;
    reference = reference < 0 ? 0 : reference > 1 ? 1 : reference;
    O_referencePerformance[o] += performanceResponse * (reference - O_referencePerformance[o]);
  }
}

static inline double outcomeFromStock(double trend, double stock, double h) {
  return stock >= 0 ? trend + (1 - trend) * (1 - v8_exp(-stock / h)) : trend - trend * (1 - v8_exp(stock / h));
}

static void partnershipOutcomes(int c) {
  const double deployed = C_deployed[c];
  const double integrated = integratedProvisionAllowed ? integratedProvisionBonus * integratedProvisionCap : 0;
  const double delivery = 1 - understandingWeight + understandingWeight * C_understanding[c];
  const double scope = deployed * scopeEfficiency * C_vision[c] * delivery;
  const double scale = deployed * scaleEfficiency * C_engagement[c] * C_meanTrust[c] * (1 + integrated) * delivery;
  C_scope[c] = scope;
  C_scale[c] = scale;
  C_value[c] = deployed * baseEfficiency + scope + scale;
  double gap = 0, reference = 0;
  for (int o = C_orgStart[c]; o < C_orgEnd[c]; o++) {
    gap += (O_performance[o] - O_referencePerformance[o]) * O_budget0[o];
    reference += O_referencePerformance[o] * O_budget0[o];
  }
  const double relativeGap = reference > 0 ? gap / reference : 0;
  C_servicesLife[c] += servicesSmoothing * (servicesLifeYears * relativeGap - C_servicesLife[c]);
  const double monthlyBudget = C_budget0[c] / monthsPerRound;
  const double inflow = monthlyBudget > 0 ? C_value[c] / monthlyBudget : 0;
  const double k = lagOutflow;
  const double out1 = k * C_lag1[c], out2 = k * C_lag2[c], out3 = k * C_lag3[c];
  C_lag1[c] += inflow - out1;
  C_lag2[c] += out1 - out2;
  C_lag3[c] += out2 - out3;
  const double decay = sharePerRound(healthFade + valueDecay * (1 - C_understanding[c]), roundsPerYear);
  C_valueStock[c] += out3 - decay * C_valueStock[c];
  const double years = (*round_ + 1) / roundsPerYear;
  const double trend = C_baseline[c] + trendPerYear * years;
  C_trendOutcome[c] = trend < 0.001 ? 0.001 : trend > 0.999 ? 0.999 : trend;
  const double partnership = outcomeFromStock(C_trendOutcome[c], C_valueStock[c], halfSaturation);
  const double services = lifeExpectancyPerIndex > 0 ? C_servicesLife[c] / lifeExpectancyPerIndex : 0;
  const double outcome = partnership + services;
  C_outcome[c] = outcome < 0.001 ? 0.001 : outcome > 0.999 ? 0.999 : outcome;
}

/* ---- 6 learning (learning.ts) ---- */
static void sanctions(void) {
  if (!sanctionsEnabled) {
    for (int i = 0; i < nL; i++) L_sanctionPressure[i] = 0;
    return;
  }
  for (int i = 0; i < nL; i++) {
    double shortfall = 0;
    for (int k = T_start[i]; k < T_withinEnd[i]; k++) {
      const double gap = L_disposition[T_target[k]] - L_disposition[i];
      if (gap > 0) shortfall += gap;
    }
    const int count = T_withinEnd[i] - T_start[i];
    const double felt = count > 0 ? (sanctionStrength * shortfall) / count : 0;
    L_sanctionPressure[i] = sanctionMemory * L_sanctionPressure[i] + (1 - sanctionMemory) * felt;
  }
}

static int drawTurnover(void) {
  for (int i = 0; i < nL; i++) turnoverDraws[i] = bankNext(&L_rng, i); /* fillBankUniform */
  int any = 0;
  for (int i = 0; i < nL; i++) {
    const int out = turnoverDraws[i] < turnoverPerRound;
    const double f = L_focus[i];
    L_focus[i] = f + focusRecovery * (L_focusHome[i] - f);
    L_tenure[i] = out ? 0 : L_tenure[i] + 1;
    replaced[i] = out ? 1 : 0;
    any |= out;
  }
  return any;
}

static inline double priorExpectation(double belief, double trust) {
  const double e = 2 * belief * trust;
  return e > 1 ? 1 : e;
}

static void replaceLeader(int i) {
  const double initial = trustInitial, held = structuralPartnering, fresh = 1 - held;
  L_focus[i] = L_focusHome[i];
  L_expectation[i] = fresh * priorExpectation(priorBelief, initial) + held * L_expectation[i];
  L_sanctionPressure[i] = 0;
  const int c = L_locality[i];
  const int first = C_leaderStart[c];
  const double base = fresh * initial;
  const double priorE = priorExpectation(priorBelief, initial);
  const int rowEnd = T_start[i + 1], localEnd = T_withinEnd[i];
  for (int k = T_start[i]; k < rowEnd; k++) {
    T_trust[k] = base + held * T_trust[k];
    T_expected[k] = fresh * priorE + held * T_expected[k];
    const int j = T_target[k];
    if (k < localEnd) {
      const int back = T_start[j] + (i - first) - (i > j ? 1 : 0);
      T_trust[back] = base + held * T_trust[back];
      continue;
    }
    const int backEnd = T_start[j + 1];
    for (int back = T_withinEnd[j]; back < backEnd; back++) {
      if (T_target[back] == i) {
        T_trust[back] = base + held * T_trust[back];
        break;
      }
    }
  }
  const double keep = 1 - (fresh * turnoverMemoryLoss) / (C_leaderEnd[c] - first);
  C_vision[c] *= keep;
  C_understanding[c] *= keep;
}

#define EXPECTATION_FLOOR 0.01

/* The trust pass, as kernel.c has it, written again over this program's arrays on purpose: the
 * same function shared through a header and called with kernel.c's struct of pointers gave the
 * same bytes but ran slower inside the round at 200,000 leaders (4.5–4.7 against 3.5–3.7 ns per
 * tie, four interleaved runs each on one input, 3 December 2026), and a slower C yardstick would
 * flatter the engine's ratio. tests/bench-kernel.test.ts checks both against the engine. */
static void updateTrust(void) {
  const double tolerance = reciprocityTolerance, initial = trustInitial, beta = beliefWeight;
  for (int c = 0; c < nC; c++) C_minTrust[c] = C_leaderEnd[c] - C_leaderStart[c] > 1 ? 1 : initial;
  for (int i = 0; i < nL; i++) {
    const int c = L_locality[i];
    const double ui = L_disposition[i];
    const double up = C_trustUp[c];
    const double resentment = mandated ? ui - L_unforced[i] : 0;
    const double penalty = paceCost * C_forcedMonths[c] + (resentment > 0 ? mandateCostPerRound * resentment : 0);
    double expectations = 0, sum = 0, min = C_minTrust[c];
    const int first = T_start[i], localEnd = T_withinEnd[i];
    if (localEnd - first != C_leaderEnd[c] - C_leaderStart[c] - 1) fail(3, "leader %d: its locality ties do not match its locality", i);
    const int selfSlot = first + (i - C_leaderStart[c]);
    const int exposed = ui >= EXPECTATION_FLOOR;
    if (exposed && penalty == 0) {
      /* observeLocalityRun twice (either side of i's own slot). The engine writes the cap at 1 as
       * o − (o − 1)·(o > 1) and picks the rate from a two-entry table, to keep V8's code free of
       * branches; here the cap is o > 1 ? 1 : o and the rate a conditional, as in kernel.c, which
       * the compiler makes branch-free itself (minsd, a blend) and which is about a third faster
       * in C. The numbers are the same: for 1 < o < 2^53, o − 1 is exact and so o − (o − 1) is 1;
       * for o ≤ 1 (and NaN) the product is ±0 and o − ±0 is o. */
      const double inverseOwn = 1 / ui;
      for (int k = first, j = C_leaderStart[c]; k < localEnd; k++, j++) {
        if (k == selfSlot) j++;
        const double uj = L_disposition[j];
        const double e = T_expected[k];
        double o = (uj + tolerance) * inverseOwn;
        o = o > 1 ? 1 : o;
        double t = T_trust[k];
        const double d = o - t;
        t += (d < 0 ? trustLoss : up) * d;
        T_trust[k] = t;
        sum += t;
        if (t < min) min = t;
        const double next = e + beta * (uj - e);
        T_expected[k] = next;
        expectations += next;
      }
    } else {
      for (int k = first, j = C_leaderStart[c]; k < localEnd; k++, j++) {
        if (k == selfSlot) j++;
        const double uj = L_disposition[j];
        const double e = T_expected[k];
        double t = T_trust[k];
        if (exposed) { /* trustAfterObservation(t, trustworthiness(uj, ui, tolerance), up, trustLoss) */
          double o = (uj + tolerance) * (1 / (ui > EXPECTATION_FLOOR ? ui : EXPECTATION_FLOOR));
          o = o > 1 ? 1 : o;
          const double d = o - t;
          t = t + (d < 0 ? trustLoss : up) * d;
        }
        t -= penalty;
        t = t < 0 ? 0 : t;
        T_trust[k] = t;
        sum += t;
        if (t < min) min = t;
        const double next = e + beta * (uj - e);
        T_expected[k] = next;
        expectations += next;
      }
    }
    const int count = localEnd - first;
    double weights = count;
    const int end = T_start[i + 1];
    if (exposed) {
      const double inverseOwn = 1 / ui; /* observeSystemRun (cap and rate as above) */
      for (int k = localEnd; k < end; k++) {
        const double uj = L_disposition[T_target[k]];
        const double w = T_weight[k];
        const double e = T_expected[k];
        double o = (uj + tolerance) * inverseOwn;
        o = o > 1 ? 1 : o;
        const double t = T_trust[k];
        const double d = o - t;
        T_trust[k] = t + (d < 0 ? crossLoss : crossGain) * d;
        const double next = e + beta * (uj - e);
        T_expected[k] = next;
        expectations += next * w;
        weights += w;
      }
    } else {
      for (int k = localEnd; k < end; k++) {
        const double uj = L_disposition[T_target[k]];
        const double w = T_weight[k];
        const double e = T_expected[k];
        const double next = e + beta * (uj - e);
        T_expected[k] = next;
        expectations += next * w;
        weights += w;
      }
    }
    if (weights > 0) L_expectation[i] = expectations / weights;
    L_trustMean[i] = count > 0 ? sum / count : initial;
    C_minTrust[c] = min;
  }
}

#define RETURN_PRIOR_WEIGHT 0.001

static void localityLearning(int c) {
  const int n = C_leaderEnd[c] - C_leaderStart[c];
  const double ambition = C_meanAmbition[c], followership = C_meanFollowership[c];
  double trust = 0;
  const int end = C_leaderEnd[c];
  for (int i = C_leaderStart[c]; i < end; i++) trust += L_trustMean[i];
  trust /= n;
  C_meanTrust[c] = trust;
  const double w = returnWeight;
  C_smoothedValue[c] += w * (C_value[c] - C_smoothedValue[c]);
  C_smoothedPooled[c] += w * (C_contributions[c] + C_fundPaid[c] - C_smoothedPooled[c]);
  const double pseudo = RETURN_PRIOR_WEIGHT * C_budget0[c];
  C_perceivedReturn[c] = C_smoothedPooled[c] + pseudo > 0
      ? (C_smoothedValue[c] + priorReturn * pseudo) / (C_smoothedPooled[c] + pseudo)
      : priorReturn;
  const int decided = C_decided[c] == 1;
  if (decided) C_vision[c] += sharePerRound(visionGain * ambition * C_decidedMonths[c], 12) * (1 - C_vision[c]);
  C_understanding[c] += (1 - v8_exp(-understandingRate * followership * C_vision[c])) * (1 - C_understanding[c]);
  if (!C_formula[c] && decided && C_vision[c] >= formulaThreshold) C_formula[c] = 1;
  if (C_formula[c]) C_friction[c] *= 1 - frictionShare;
  C_roundsActive[c]++;
  const int stage = C_stage[c];
  const double understanding = C_understanding[c];
  int next = stage;
  if (stage == 0) {
    if (C_roundsActive[c] >= stormingRounds) next = 1;
  } else if (stage == 1) {
    if (C_formula[c] && trust >= normingTrust) next = 2;
  } else if (trust < regressTrust) {
    next = 1;
  } else if (stage == 2) {
    if (trust >= performingTrust && understanding >= performingUnderstanding) next = 3;
  } else if (trust < normingTrust || understanding < regressUnderstanding) {
    next = 2;
  }
  C_stage[c] = (uint8_t)next;
}

/* ---- the round (engine.ts Simulation.step), timed phase by phase ---- */
enum { ENVIRONMENT, REGULATION, DECIDE, AGGREGATE, BOARD, PERFORMANCE, OUTCOMES, SANCTIONS, TURNOVER, TRUST, LOCALITY, PHASES };
static const char *phaseName[PHASES] = {
  "environment", "regulation", "decide", "aggregateDecisions", "boardDecision", "organisationPerformance",
  "partnershipOutcomes", "sanctions", "turnover", "updateTrust", "localityLearning",
};

static inline double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static void step(double *ns) {
  double t = now(), t1;
#define LAP(phase) (t1 = now(), ns[phase] += t1 - t, t = t1)
  environment(); LAP(ENVIRONMENT);
  regulation(); LAP(REGULATION);
  decide(); LAP(DECIDE);
  aggregateDecisions(); LAP(AGGREGATE);
  for (int c = 0; c < nC; c++) boardDecision(c);
  LAP(BOARD);
  organisationPerformance(); LAP(PERFORMANCE);
  for (int c = 0; c < nC; c++) partnershipOutcomes(c);
  LAP(OUTCOMES);
  sanctions(); LAP(SANCTIONS);
  if (drawTurnover()) for (int i = 0; i < nL; i++) if (replaced[i]) replaceLeader(i);
  LAP(TURNOVER);
  updateTrust(); LAP(TRUST);
  for (int c = 0; c < nC; c++) localityLearning(c);
  LAP(LOCALITY);
#undef LAP
  (*round_)++;
}

static int byValue(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}
static double median(double *xs, int n) {
  qsort(xs, n, sizeof(double), byValue);
  return xs[n / 2];
}

int main(int argc, char **argv) {
  if (argc != 4) fail(1, "usage: round IN OUT ROUNDS");
  const int rounds = atoi(argv[3]);
  if (rounds < 1) fail(1, "ROUNDS must be at least 1");
  readInput(argv[1]);
  loadState();
  loadParameters();
  if ((size_t)rounds > fundRounds) fail(2, "K.fund covers %zu rounds, asked for %d", fundRounds, rounds);
  double *total = calloc(rounds, sizeof(double)), *phase = calloc((size_t)rounds * PHASES, sizeof(double));
  for (int r = 0; r < rounds; r++) {
    double *ns = phase + (size_t)r * PHASES;
    step(ns);
    for (int p = 0; p < PHASES; p++) total[r] += ns[p];
  }
  writeOutput(argv[2]);
  const double m = nT;
  for (int r = 0; r < rounds; r++) total[r] /= m;
  printf("{\"rounds\":%d,\"ties\":%d,\"nsPerTie\":[", rounds, nT);
  for (int r = 0; r < rounds; r++) printf("%s%.6g", r ? "," : "", total[r]);
  printf("],\"nsPerTieMedian\":%.6g", median(total, rounds));
  printf(",\"nsPerTieMin\":%.6g,\"phases\":{", total[0]);
  double *column = malloc(sizeof(double) * rounds);
  for (int p = 0; p < PHASES; p++) {
    for (int r = 0; r < rounds; r++) column[r] = phase[(size_t)r * PHASES + p] / m;
    printf("%s\"%s\":%.6g", p ? "," : "", phaseName[p], median(column, rounds));
  }
  printf("}}\n");
  return 0;
}
