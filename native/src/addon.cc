// selfsup_native: oneDNN convolutions and hand-written batch-norm / max-pool-gradient / relu-gradient
// loops that compute in place on float32 memory owned by JavaScript (the tfjs wasm backend's heap),
// so no tensor is copied. Every function takes an ArrayBuffer and byte offsets into it; shapes
// come as an Int32Array (conv, pool) or numbers. Layout is NHWC (tfjs), filters HWIO [kh, kw, ci, co].
//
// Convolutions: one oneDNN primitive per shape and direction, created on first use and cached;
// activations are given to oneDNN as format_tag::nhwc (no reorder), weights go through oneDNN's
// own layout (format_tag::any + a cached reorder primitive), otherwise it falls to a slow path.
#include <napi.h>
#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

namespace {

dnnl::engine &eng() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}
dnnl::stream &strm() {
  static dnnl::stream s(eng());
  return s;
}

// ---------------------------------------------------------------------------------------------
// argument helpers

struct Args {
  const Napi::CallbackInfo &info;
  Napi::Env env;
  uint8_t *base = nullptr;
  size_t length = 0;
  bool failed = false;

  explicit Args(const Napi::CallbackInfo &i) : info(i), env(i.Env()) {
    if (info.Length() < 1 || !info[0].IsArrayBuffer()) {
      fail("argument 0 must be an ArrayBuffer");
      return;
    }
    Napi::ArrayBuffer ab = info[0].As<Napi::ArrayBuffer>();
    base = static_cast<uint8_t *>(ab.Data());
    length = ab.ByteLength();
  }
  void fail(const std::string &msg) {
    if (!failed) Napi::Error::New(env, "selfsup_native: " + msg).ThrowAsJavaScriptException();
    failed = true;
  }
  double num(size_t i) {
    if (failed) return 0;
    if (info.Length() <= i || !info[i].IsNumber()) {
      fail("argument " + std::to_string(i) + " must be a number");
      return 0;
    }
    return info[i].As<Napi::Number>().DoubleValue();
  }
  std::vector<int> dims(size_t i, size_t count) {
    std::vector<int> d(count, 0);
    if (failed) return d;
    if (info.Length() <= i || !info[i].IsTypedArray() ||
        info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
      fail("argument " + std::to_string(i) + " must be an Int32Array");
      return d;
    }
    Napi::Int32Array a = info[i].As<Napi::Int32Array>();
    if (a.ElementLength() != count) {
      fail("argument " + std::to_string(i) + " must have " + std::to_string(count) + " elements");
      return d;
    }
    for (size_t k = 0; k < count; k++) d[k] = a[k];
    return d;
  }
  // A float pointer at byte offset argument i, checked to hold `count` floats.
  float *f32(size_t i, size_t count) {
    double off = num(i);
    if (failed) return nullptr;
    if (off < 0 || std::fmod(off, 4.0) != 0 || off + 4.0 * count > static_cast<double>(length)) {
      fail("argument " + std::to_string(i) + ": byte offset " + std::to_string(off) + " + " +
           std::to_string(count) + " floats is outside the buffer of " + std::to_string(length) + " bytes");
      return nullptr;
    }
    return reinterpret_cast<float *>(base + static_cast<size_t>(off));
  }
};

// ---------------------------------------------------------------------------------------------
// convolutions (oneDNN)

// dims: n, h, w, ci, co, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, oh, ow
constexpr size_t CONV_DIMS = 17;
enum Dir { FWD = 0, BWD_DATA = 1, BWD_WEIGHTS = 2 };

struct ConvPlan {
  dnnl::primitive prim;
  memory::desc act_in;   // x (fwd, bwd weights) or dx (bwd data): nhwc
  memory::desc act_out;  // y (fwd) or dy (bwd): nhwc
  memory::desc w_user;   // hwio
  memory::desc w_prim;   // the primitive's weights layout
  bool reorder = false;
  dnnl::primitive w_reorder;
  memory w_buf;  // weights in the primitive's layout (when reorder)
  std::string impl;
};

std::map<std::pair<int, std::vector<int>>, std::unique_ptr<ConvPlan>> conv_plans;

ConvPlan *conv_plan(Dir dir, const std::vector<int> &d) {
  auto key = std::make_pair(static_cast<int>(dir), d);
  auto it = conv_plans.find(key);
  if (it != conv_plans.end()) return it->second.get();
  const int n = d[0], h = d[1], w = d[2], ci = d[3], co = d[4], kh = d[5], kw = d[6];
  const int sh = d[7], sw = d[8], dh = d[9], dw = d[10], pt = d[11], pl = d[12], pb = d[13], pr = d[14];
  const int oh = d[15], ow = d[16];
  memory::desc src_md({n, ci, h, w}, dt::f32, tag::nhwc);
  memory::desc dst_md({n, co, oh, ow}, dt::f32, tag::nhwc);
  memory::desc w_any({co, ci, kh, kw}, dt::f32, tag::any);
  memory::desc w_user({co, ci, kh, kw}, dt::f32, tag::hwio);
  memory::dims strides{sh, sw}, dil{dh - 1, dw - 1}, padl{pt, pl}, padr{pb, pr};
  dnnl::convolution_forward::desc fd(prop_kind::forward_training, algorithm::convolution_direct, src_md, w_any,
                                     dst_md, strides, dil, padl, padr);
  dnnl::convolution_forward::primitive_desc fpd(fd, eng());
  auto plan = std::make_unique<ConvPlan>();
  plan->act_in = src_md;
  plan->act_out = dst_md;
  plan->w_user = w_user;
  if (dir == FWD) {
    plan->prim = dnnl::convolution_forward(fpd);
    plan->w_prim = fpd.weights_desc();
    plan->impl = fpd.impl_info_str();
  } else if (dir == BWD_DATA) {
    dnnl::convolution_backward_data::desc bd(algorithm::convolution_direct, src_md, w_any, dst_md, strides, dil,
                                             padl, padr);
    dnnl::convolution_backward_data::primitive_desc bpd(bd, eng(), fpd);
    plan->prim = dnnl::convolution_backward_data(bpd);
    plan->w_prim = bpd.weights_desc();
    plan->impl = bpd.impl_info_str();
  } else {
    dnnl::convolution_backward_weights::desc wd(algorithm::convolution_direct, src_md, w_any, dst_md, strides, dil,
                                                padl, padr);
    dnnl::convolution_backward_weights::primitive_desc wpd(wd, eng(), fpd);
    plan->prim = dnnl::convolution_backward_weights(wpd);
    plan->w_prim = wpd.diff_weights_desc();
    plan->impl = wpd.impl_info_str();
  }
  if (plan->w_prim != w_user) {
    plan->reorder = true;
    plan->w_buf = memory(plan->w_prim, eng());
    if (dir == BWD_WEIGHTS) {
      plan->w_reorder = dnnl::reorder(dnnl::reorder::primitive_desc(eng(), plan->w_prim, eng(), w_user));
    } else {
      plan->w_reorder = dnnl::reorder(dnnl::reorder::primitive_desc(eng(), w_user, eng(), plan->w_prim));
    }
  }
  ConvPlan *raw = plan.get();
  conv_plans.emplace(key, std::move(plan));
  return raw;
}

size_t prod(std::initializer_list<int> v) {
  size_t p = 1;
  for (int x : v) p *= static_cast<size_t>(x);
  return p;
}

bool valid_conv_dims(const std::vector<int> &d) {
  for (int k = 0; k < 11; k++)
    if (d[k] < 1) return false;
  for (int k = 15; k < 17; k++)
    if (d[k] < 1) return false;
  return true;
}

// conv(dir, buf, dims, aOff, bOff, cOff):
//   FWD:         a = x [n,h,w,ci], b = filter [kh,kw,ci,co], c = y [n,oh,ow,co] (written)
//   BWD_DATA:    a = dy [n,oh,ow,co], b = filter, c = dx [n,h,w,ci] (written)
//   BWD_WEIGHTS: a = x, b = dy, c = dfilter [kh,kw,ci,co] (written)
Napi::Value Conv(const Napi::CallbackInfo &info, Dir dir) {
  Args a(info);
  std::vector<int> d = a.dims(1, CONV_DIMS);
  if (a.failed) return a.env.Undefined();
  if (!valid_conv_dims(d)) {
    a.fail("conv: every size, stride and dilation must be positive");
    return a.env.Undefined();
  }
  const size_t xs = prod({d[0], d[1], d[2], d[3]}), ys = prod({d[0], d[15], d[16], d[4]});
  const size_t ws = prod({d[5], d[6], d[3], d[4]});
  float *p0 = a.f32(2, dir == BWD_DATA ? ys : xs);
  float *p1 = a.f32(3, dir == BWD_WEIGHTS ? ys : ws);
  float *p2 = a.f32(4, dir == FWD ? ys : dir == BWD_DATA ? xs : ws);
  if (a.failed) return a.env.Undefined();
  try {
    ConvPlan *plan = conv_plan(dir, d);
    auto &e = eng();
    auto &s = strm();
    if (dir == FWD) {
      memory x(plan->act_in, e, p0), y(plan->act_out, e, p2), wu(plan->w_user, e, p1);
      memory wp = wu;
      if (plan->reorder) {
        plan->w_reorder.execute(s, {{DNNL_ARG_FROM, wu}, {DNNL_ARG_TO, plan->w_buf}});
        wp = plan->w_buf;
      }
      plan->prim.execute(s, {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, wp}, {DNNL_ARG_DST, y}});
    } else if (dir == BWD_DATA) {
      memory dy(plan->act_out, e, p0), dx(plan->act_in, e, p2), wu(plan->w_user, e, p1);
      memory wp = wu;
      if (plan->reorder) {
        plan->w_reorder.execute(s, {{DNNL_ARG_FROM, wu}, {DNNL_ARG_TO, plan->w_buf}});
        wp = plan->w_buf;
      }
      plan->prim.execute(s, {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, wp}, {DNNL_ARG_DIFF_SRC, dx}});
    } else {
      memory x(plan->act_in, e, p0), dy(plan->act_out, e, p1), dwu(plan->w_user, e, p2);
      memory dwp = plan->reorder ? plan->w_buf : dwu;
      plan->prim.execute(s, {{DNNL_ARG_SRC, x}, {DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_WEIGHTS, dwp}});
      if (plan->reorder) plan->w_reorder.execute(s, {{DNNL_ARG_FROM, plan->w_buf}, {DNNL_ARG_TO, dwu}});
    }
    s.wait();
  } catch (const dnnl::error &err) {
    a.fail(std::string("oneDNN: ") + err.what() + " (status " + std::to_string(static_cast<int>(err.status)) + ")");
  } catch (const std::exception &err) {
    a.fail(err.what());
  }
  return a.env.Undefined();
}

Napi::Value Conv2D(const Napi::CallbackInfo &info) { return Conv(info, FWD); }
Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo &info) { return Conv(info, BWD_DATA); }
Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo &info) { return Conv(info, BWD_WEIGHTS); }

// convImpl(dir, dims): the oneDNN implementation chosen for a shape, e.g. "brg:avx512_core" (creates the plan).
Napi::Value ConvImpl(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsTypedArray()) {
    Napi::TypeError::New(env, "selfsup_native: convImpl(dir, dims)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int dir = info[0].As<Napi::Number>().Int32Value();
  Napi::Int32Array a = info[1].As<Napi::Int32Array>();
  if (dir < 0 || dir > 2 || a.ElementLength() != CONV_DIMS) {
    Napi::TypeError::New(env, "selfsup_native: convImpl(dir 0..2, dims[17])").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::vector<int> d(a.Data(), a.Data() + CONV_DIMS);
  try {
    return Napi::String::New(env, conv_plan(static_cast<Dir>(dir), d)->impl);
  } catch (const std::exception &err) {
    Napi::Error::New(env, std::string("selfsup_native: ") + err.what()).ThrowAsJavaScriptException();
    return env.Undefined();
  }
}

// ---------------------------------------------------------------------------------------------
// maxPool(buf, dims, xOff, yOff): y = max over each window (padding excluded; -inf for a window
// with no input), NHWC. dims as maxPoolGrad's.
void window_max_value(const float *__restrict xp, float *__restrict best, int c) {
  for (int k = 0; k < c; k++) best[k] = xp[k] > best[k] ? xp[k] : best[k];
}

Napi::Value MaxPool(const Napi::CallbackInfo &info) {
  Args a(info);
  std::vector<int> d = a.dims(1, 12);
  if (a.failed) return a.env.Undefined();
  const int n = d[0], h = d[1], w = d[2], c = d[3], fh = d[4], fw = d[5], sh = d[6], sw = d[7];
  const int pt = d[8], pl = d[9], oh = d[10], ow = d[11];
  const float *x = a.f32(2, prod({n, h, w, c}));
  float *y = a.f32(3, prod({n, oh, ow, c}));
  if (a.failed) return a.env.Undefined();
  const size_t plane = static_cast<size_t>(h) * w * c;
#pragma omp parallel for schedule(static)
  for (int64_t by = 0; by < static_cast<int64_t>(n) * oh; by++) {
    const int b = static_cast<int>(by / oh), yr = static_cast<int>(by % oh);
    const int r0 = std::max(0, yr * sh - pt), r1 = std::min(h, yr * sh - pt + fh);
    const float *xb = x + b * plane;
    for (int yc = 0; yc < ow; yc++) {
      const int c0 = std::max(0, yc * sw - pl), c1 = std::min(w, yc * sw - pl + fw);
      float *out = y + ((static_cast<size_t>(b) * oh + yr) * ow + yc) * c;
      for (int k = 0; k < c; k++) out[k] = -std::numeric_limits<float>::infinity();
      for (int xr = r0; xr < r1; xr++)
        for (int xc = c0; xc < c1; xc++) window_max_value(xb + (static_cast<size_t>(xr) * w + xc) * c, out, c);
    }
  }
  return a.env.Undefined();
}

// Running per-channel maximum over one window position: the first maximum wins (strict >).
void window_max(const float *__restrict xp, int32_t p, float *__restrict best, int32_t *__restrict where, int c) {
  for (int k = 0; k < c; k++) {
    const float v = xp[k], b = best[k];
    const int32_t m = -static_cast<int32_t>(v > b);  // all ones where v is the new maximum
    best[k] = v > b ? v : b;
    where[k] = (where[k] & ~m) | ((p + k) & m);
  }
}

// max-pool gradient: each window's gradient goes to its first maximum in row-major window order
// (tfjs-backend-cpu's rule); overlapping windows add up.
// dims: n, h, w, c, fh, fw, sh, sw, pt, pl, oh, ow
Napi::Value MaxPoolGrad(const Napi::CallbackInfo &info) {
  Args a(info);
  std::vector<int> d = a.dims(1, 12);
  if (a.failed) return a.env.Undefined();
  const int n = d[0], h = d[1], w = d[2], c = d[3], fh = d[4], fw = d[5], sh = d[6], sw = d[7];
  const int pt = d[8], pl = d[9], oh = d[10], ow = d[11];
  const float *x = a.f32(2, prod({n, h, w, c}));
  const float *dy = a.f32(3, prod({n, oh, ow, c}));
  float *dx = a.f32(4, prod({n, h, w, c}));
  if (a.failed) return a.env.Undefined();
  const size_t plane = static_cast<size_t>(h) * w * c;
  if (plane >= (size_t{1} << 31)) {
    a.fail("maxPoolGrad: an image of more than 2^31 values");
    return a.env.Undefined();
  }
#pragma omp parallel
  {
    std::vector<float> best(c);
    std::vector<int32_t> where(c);
#pragma omp for schedule(static)
    for (int b = 0; b < n; b++) {
      const float *xb = x + b * plane;
      float *dxb = dx + b * plane;
      std::memset(dxb, 0, plane * sizeof(float));
      for (int yr = 0; yr < oh; yr++) {
        const int r0 = std::max(0, yr * sh - pt), r1 = std::min(h, yr * sh - pt + fh);
        for (int yc = 0; yc < ow; yc++) {
          const int c0 = std::max(0, yc * sw - pl), c1 = std::min(w, yc * sw - pl + fw);
          std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
          std::fill(where.begin(), where.end(), -1);
          for (int xr = r0; xr < r1; xr++) {
            for (int xc = c0; xc < c1; xc++) {
              const int32_t p = (xr * w + xc) * c;
              window_max(xb + p, p, best.data(), where.data(), c);
            }
          }
          const float *dyp = dy + ((static_cast<size_t>(b) * oh + yr) * ow + yc) * c;
          for (int k = 0; k < c; k++)
            if (where[k] >= 0) dxb[where[k]] += dyp[k];
        }
      }
    }
  }
  return a.env.Undefined();
}

// ---------------------------------------------------------------------------------------------
// batch norm over the rows of a [rows, c] matrix (NHWC flattened), training mode.

// Per-channel sums over rows of f(row, acc), each thread over a fixed block of rows (static
// schedule), in double; the threads' partial sums are added in thread order, so the result is the
// same on every run with the same thread count.
template <typename F>
void channel_sums(int64_t rows, int c, int outputs, F f, std::vector<double> &out) {
  const size_t width = static_cast<size_t>(outputs) * c;
  const int max_threads = omp_get_max_threads();
  std::vector<double> parts(width * max_threads, 0.0);
  int used = 1;
#pragma omp parallel
  {
    const int t = omp_get_thread_num();
#pragma omp single
    used = omp_get_num_threads();
    double *part = parts.data() + width * t;
    std::vector<float> acc(width, 0.0f);
    int64_t chunk = 0;
#pragma omp for schedule(static)
    for (int64_t r = 0; r < rows; r++) {
      f(r, acc.data());
      // flush float partials to double every 64 rows to keep the sum exact enough
      if (++chunk == 64) {
        for (size_t k = 0; k < width; k++) part[k] += acc[k], acc[k] = 0.0f;
        chunk = 0;
      }
    }
    for (size_t k = 0; k < width; k++) part[k] += acc[k];
  }
  out.assign(width, 0.0);
  for (int t = 0; t < used; t++)
    for (size_t k = 0; k < width; k++) out[k] += parts[width * t + k];
}

// batchNormForward(buf, rows, c, eps, relu, xOff, gammaOff, betaOff, yOff, meanOff, varOff):
//   mean = mean(x), var = mean((x - mean)^2) (biased), y = (x - mean) / sqrt(var + eps) * gamma + beta
//   (then max(y, 0) when relu != 0).
Napi::Value BatchNormForward(const Napi::CallbackInfo &info) {
  Args a(info);
  const int64_t rows = static_cast<int64_t>(a.num(1));
  const int c = static_cast<int>(a.num(2));
  const float eps = static_cast<float>(a.num(3));
  const bool relu = a.num(4) != 0;
  const size_t size = static_cast<size_t>(rows) * c;
  const float *x = a.f32(5, size);
  const float *g = a.f32(6, c);
  const float *be = a.f32(7, c);
  float *y = a.f32(8, size);
  float *mean = a.f32(9, c);
  float *var = a.f32(10, c);
  if (a.failed) return a.env.Undefined();
  if (rows < 1 || c < 1) {
    a.fail("batchNormForward: rows and channels must be positive");
    return a.env.Undefined();
  }
  // One pass: sums of (x - K) and (x - K)^2 with K = the first row (a sample, so the shifted
  // second moment does not cancel), var = E[(x-K)^2] - E[x-K]^2.
  std::vector<float> shiftk(x, x + c);
  const float *K = shiftk.data();
  std::vector<double> s;
  channel_sums(rows, c, 2, [&](int64_t r, float *acc) {
    const float *xr = x + r * c;
    float *a2 = acc + c;
#pragma omp simd
    for (int k = 0; k < c; k++) {
      const float t = xr[k] - K[k];
      acc[k] += t;
      a2[k] += t * t;
    }
  }, s);
  std::vector<float> m(c), vv(c);
  for (int k = 0; k < c; k++) {
    const double d = s[k] / rows;
    m[k] = static_cast<float>(K[k] + d);
    vv[k] = static_cast<float>(std::max(0.0, s[c + k] / rows - d * d));
  }
  std::vector<float> scale(c), shift(c);
  for (int k = 0; k < c; k++) {
    const float v = vv[k];
    mean[k] = m[k];
    var[k] = v;
    scale[k] = g[k] / std::sqrt(v + eps);
    shift[k] = be[k] - m[k] * scale[k];
  }
  const float *sc = scale.data(), *sf = shift.data();
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * c;
    float *yr = y + r * c;
    if (relu) {
#pragma omp simd
      for (int k = 0; k < c; k++) yr[k] = std::max(xr[k] * sc[k] + sf[k], 0.0f);
    } else {
#pragma omp simd
      for (int k = 0; k < c; k++) yr[k] = xr[k] * sc[k] + sf[k];
    }
  }
  return a.env.Undefined();
}

// batchNormBackward(buf, rows, c, eps, xOff, dyOff, gammaOff, meanOff, varOff, dxOff, dGammaOff, dBetaOff,
//                   dMeanOff, dVarOff[, relu, betaOff]):
//   xhat = (x - mean) r, r = 1/sqrt(var + eps); dBeta = sum(dy), dGamma = sum(dy xhat),
//   dx = gamma r (dy - dBeta/rows - xhat dGamma/rows) + dMean/rows + 2 dVar (x - mean)/rows
//   (mean and var are the batch's own; dMean, dVar the gradients reaching those two outputs).
//   With relu != 0 the forward pass was relu(batch norm) (batchNormForward's relu): dy is the
//   gradient of the relu's output and is masked by y > 0, recomputed from x (no extra memory read).
template <bool RELU>
void batch_norm_backward(int64_t rows, int c, const float *x, const float *dy, const float *g, const float *mean,
                         const float *rp, const float *sc, const float *sf, const float *dmean, const float *dvar,
                         float *dx, float *dg, float *db);

Napi::Value BatchNormBackward(const Napi::CallbackInfo &info) {
  Args a(info);
  const int64_t rows = static_cast<int64_t>(a.num(1));
  const int c = static_cast<int>(a.num(2));
  const float eps = static_cast<float>(a.num(3));
  const size_t size = static_cast<size_t>(rows) * c;
  const float *x = a.f32(4, size);
  const float *dy = a.f32(5, size);
  const float *g = a.f32(6, c);
  const float *mean = a.f32(7, c);
  const float *var = a.f32(8, c);
  float *dx = a.f32(9, size);
  float *dg = a.f32(10, c);
  float *db = a.f32(11, c);
  const float *dmean = a.f32(12, c);
  const float *dvar = a.f32(13, c);
  const bool relu = info.Length() > 14 && a.num(14) != 0;
  const float *be = relu ? a.f32(15, c) : nullptr;
  if (a.failed) return a.env.Undefined();
  if (rows < 1 || c < 1) {
    a.fail("batchNormBackward: rows and channels must be positive");
    return a.env.Undefined();
  }
  std::vector<float> r(c), scale(c, 1.0f), shift(c, 0.0f);
  for (int k = 0; k < c; k++) {
    r[k] = 1.0f / std::sqrt(var[k] + eps);
    if (relu) {  // the forward pass's own scale and shift, so the relu mask is the one it applied
      scale[k] = g[k] / std::sqrt(var[k] + eps);
      shift[k] = be[k] - mean[k] * scale[k];
    }
  }
  if (relu) batch_norm_backward<true>(rows, c, x, dy, g, mean, r.data(), scale.data(), shift.data(), dmean, dvar, dx, dg, db);
  else batch_norm_backward<false>(rows, c, x, dy, g, mean, r.data(), scale.data(), shift.data(), dmean, dvar, dx, dg, db);
  return a.env.Undefined();
}

// The gradient reaching the batch norm's output: dy, or behind a fused relu dy * (y > 0) with
// y = x scale + shift recomputed as the forward pass computed it.
template <bool RELU>
inline float bn_out_grad(float dy, float x, float scale, float shift) {
  if (!RELU) return dy;
  // dy where y > 0, else 0, as a bit mask (a select on a float compare is not vectorised here)
  const uint32_t mask = 0u - static_cast<uint32_t>(x * scale + shift > 0.0f);
  uint32_t bits;
  std::memcpy(&bits, &dy, sizeof bits);
  bits &= mask;
  float out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

template <bool RELU>
void batch_norm_backward(int64_t rows, int c, const float *x, const float *dy, const float *g, const float *mean,
                         const float *rp, const float *sc, const float *sf, const float *dmean, const float *dvar,
                         float *dx, float *dg, float *db) {
  std::vector<double> s;
  channel_sums(rows, c, 2, [&](int64_t row, float *acc) {
    const float *xr = x + row * c;
    const float *dr = dy + row * c;
    float *a1 = acc + c;
#pragma omp simd
    for (int k = 0; k < c; k++) {
      const float d = bn_out_grad<RELU>(dr[k], xr[k], sc[k], sf[k]);
      acc[k] += d;
      a1[k] += d * (xr[k] - mean[k]) * rp[k];
    }
  }, s);
  std::vector<float> k1(c), k2(c), k3(c);
  for (int k = 0; k < c; k++) {
    const float sb = static_cast<float>(s[k]), sg = static_cast<float>(s[c + k]);
    db[k] = sb;
    dg[k] = sg;
    // dx = A dy + B (x - mean) + C with A = g r, B = -g r^2 sg / rows, C = -g r sb / rows
    k1[k] = g[k] * rp[k];
    const float inv = 1.0f / static_cast<float>(rows);
    k2[k] = -g[k] * rp[k] * rp[k] * sg * inv + 2.0f * dvar[k] * inv;
    k3[k] = -g[k] * rp[k] * sb * inv + dmean[k] * inv;
  }
  const float *A = k1.data(), *B = k2.data(), *C = k3.data();
#pragma omp parallel for schedule(static)
  for (int64_t row = 0; row < rows; row++) {
    const float *xr = x + row * c;
    const float *dr = dy + row * c;
    float *o = dx + row * c;
#pragma omp simd
    for (int k = 0; k < c; k++) {
      const float d = bn_out_grad<RELU>(dr[k], xr[k], sc[k], sf[k]);
      o[k] = A[k] * d + B[k] * (xr[k] - mean[k]) + C[k];
    }
  }
}

// dx = dy * (y > 0), as tfjs's dy * step(y) (a NaN or infinite dy stays NaN where y <= 0)
void relu_grad_range(const float *__restrict dy, const float *__restrict y, float *__restrict dx, int64_t n) {
  for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * (y[i] > 0.0f ? 1.0f : 0.0f);
}

// reluGrad(buf, size, dyOff, yOff, dxOff): dx = dy * (y > 0) (y may be relu's input or output).
Napi::Value ReluGrad(const Napi::CallbackInfo &info) {
  Args a(info);
  const int64_t size = static_cast<int64_t>(a.num(1));
  const float *dy = a.f32(2, size);
  const float *y = a.f32(3, size);
  float *dx = a.f32(4, size);
  if (a.failed) return a.env.Undefined();
#pragma omp parallel
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t chunk = (size + nt - 1) / nt, i0 = std::min(size, t * chunk), i1 = std::min(size, i0 + chunk);
    relu_grad_range(dy + i0, y + i0, dx + i0, i1 - i0);
  }
  return a.env.Undefined();
}

// ---------------------------------------------------------------------------------------------
// elementwise: relu, and binary ops of a [rows, c] matrix with a [c] vector (broadcast along the
// rows; c = 1 is a scalar) or with a matrix of its own shape.

void relu_range(const float *__restrict x, float *__restrict y, int64_t n) {
  for (int64_t i = 0; i < n; i++) y[i] = x[i] < 0.0f ? 0.0f : x[i];  // NaN stays NaN, as tfjs
}

// relu(buf, size, xOff, yOff)
Napi::Value Relu(const Napi::CallbackInfo &info) {
  Args a(info);
  const int64_t size = static_cast<int64_t>(a.num(1));
  const float *x = a.f32(2, size);
  float *y = a.f32(3, size);
  if (a.failed) return a.env.Undefined();
#pragma omp parallel
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t chunk = (size + nt - 1) / nt, i0 = std::min(size, t * chunk), i1 = std::min(size, i0 + chunk);
    relu_range(x + i0, y + i0, i1 - i0);
  }
  return a.env.Undefined();
}

template <int OP>
inline float apply_op(float x, float y) {
  if (OP == 0) return x + y;
  if (OP == 1) return x - y;
  if (OP == 2) return x * y;
  return x / y;
}

template <int OP>
void binary_rows(const float *__restrict a, const float *__restrict b, float *__restrict o, int64_t r0, int64_t r1,
                 int c, bool full) {
  if (full) {
    for (int64_t i = r0 * c; i < r1 * c; i++) o[i] = apply_op<OP>(a[i], b[i]);
    return;
  }
  if (c == 1) {
    const float v = b[0];
    for (int64_t i = r0; i < r1; i++) o[i] = apply_op<OP>(a[i], v);
    return;
  }
  for (int64_t r = r0; r < r1; r++) {
    const float *__restrict ar = a + r * c;
    float *__restrict orow = o + r * c;
    for (int k = 0; k < c; k++) orow[k] = apply_op<OP>(ar[k], b[k]);
  }
}

// binary(buf, op, rows, c, full, aOff, bOff, outOff): out = a op b, op 0 add, 1 sub, 2 mul, 3 div;
// a and out [rows, c]; b [c] (full = 0) or [rows, c] (full = 1).
Napi::Value Binary(const Napi::CallbackInfo &info) {
  Args a(info);
  const int op = static_cast<int>(a.num(1));
  const int64_t rows = static_cast<int64_t>(a.num(2));
  const int c = static_cast<int>(a.num(3));
  const bool full = a.num(4) != 0;
  const size_t size = static_cast<size_t>(rows) * c;
  const float *x = a.f32(5, size);
  const float *y = a.f32(6, full ? size : c);
  float *o = a.f32(7, size);
  if (a.failed) return a.env.Undefined();
  if (op < 0 || op > 3 || rows < 1 || c < 1) {
    a.fail("binary: op must be 0..3 and the shape positive");
    return a.env.Undefined();
  }
#pragma omp parallel
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t chunk = (rows + nt - 1) / nt, r0 = std::min(rows, t * chunk), r1 = std::min(rows, r0 + chunk);
    switch (op) {
      case 0: binary_rows<0>(x, y, o, r0, r1, c, full); break;
      case 1: binary_rows<1>(x, y, o, r0, r1, c, full); break;
      case 2: binary_rows<2>(x, y, o, r0, r1, c, full); break;
      default: binary_rows<3>(x, y, o, r0, r1, c, full); break;
    }
  }
  return a.env.Undefined();
}

// reverse(buf, dims, xOff, yOff): y = x reversed along some axes, for any 4-byte dtype; dims is an
// Int32Array [d0, d1, d2, d3, flip0, flip1, flip2, flip3] (shapes of lower rank padded with 1s).
Napi::Value Reverse(const Napi::CallbackInfo &info) {
  Args a(info);
  std::vector<int> d = a.dims(1, 8);
  if (a.failed) return a.env.Undefined();
  for (int k = 0; k < 4; k++)
    if (d[k] < 1) {
      a.fail("reverse: sizes must be positive");
      return a.env.Undefined();
    }
  const size_t size = prod({d[0], d[1], d[2], d[3]});
  const uint32_t *x = reinterpret_cast<const uint32_t *>(a.f32(2, size));
  uint32_t *y = reinterpret_cast<uint32_t *>(a.f32(3, size));
  if (a.failed) return a.env.Undefined();
  const int64_t d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3];
  const bool f0 = d[4], f1 = d[5], f2 = d[6], f3 = d[7];
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < d0 * d1 * d2; r++) {
    const int64_t i = r / (d1 * d2), j = (r / d2) % d1, k = r % d2;
    const int64_t si = f0 ? d0 - 1 - i : i, sj = f1 ? d1 - 1 - j : j, sk = f2 ? d2 - 1 - k : k;
    const uint32_t *src = x + ((si * d1 + sj) * d2 + sk) * d3;
    uint32_t *dst = y + r * d3;
    if (f3) {
      for (int64_t l = 0; l < d3; l++) dst[l] = src[d3 - 1 - l];
    } else {
      std::memcpy(dst, src, static_cast<size_t>(d3) * sizeof(uint32_t));
    }
  }
  return a.env.Undefined();
}

// ---------------------------------------------------------------------------------------------

Napi::Value SetThreads(const Napi::CallbackInfo &info) {
  if (info.Length() >= 1 && info[0].IsNumber()) {
    int t = info[0].As<Napi::Number>().Int32Value();
    if (t >= 1) omp_set_num_threads(t);
  }
  return Napi::Number::New(info.Env(), omp_get_max_threads());
}

Napi::Value Version(const Napi::CallbackInfo &info) {
  const dnnl_version_t *v = dnnl_version();
  std::string s = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  return Napi::String::New(info.Env(), s);
}

Napi::Value ClearCache(const Napi::CallbackInfo &info) {
  conv_plans.clear();
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Napi::Function::New(env, Conv2D));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2DBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2DBackpropFilter));
  exports.Set("convImpl", Napi::Function::New(env, ConvImpl));
  exports.Set("maxPoolGrad", Napi::Function::New(env, MaxPoolGrad));
  exports.Set("maxPool", Napi::Function::New(env, MaxPool));
  exports.Set("batchNormForward", Napi::Function::New(env, BatchNormForward));
  exports.Set("batchNormBackward", Napi::Function::New(env, BatchNormBackward));
  exports.Set("reluGrad", Napi::Function::New(env, ReluGrad));
  exports.Set("relu", Napi::Function::New(env, Relu));
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("reverse", Napi::Function::New(env, Reverse));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("version", Napi::Function::New(env, Version));
  exports.Set("clearCache", Napi::Function::New(env, ClearCache));
  return exports;
}

}  // namespace

NODE_API_MODULE(selfsup_native, Init)
