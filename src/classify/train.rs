//! Multinomial logistic regression with an L2 penalty, fitted by full-batch
//! L-BFGS. Single-threaded and free of randomness, so the same data always
//! gives the same weights, bit for bit.

use super::features::SparseRow;

/// What to fit and how long to try.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Inverse penalty strength: the objective is
    /// `Σ log loss + ‖W‖² / (2C)` (the bias is not penalised).
    pub c: f64,
    pub max_iterations: usize,
    /// Stop when every gradient component, divided by the number of texts,
    /// is below this.
    pub tolerance: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            c: 100.0,
            max_iterations: 3000,
            tolerance: 1e-6,
        }
    }
}

/// Fitted weights: `weights[j * classes + k]` for feature `j`, class `k`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub classes: usize,
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
    pub iterations: usize,
}

/// Fits `rows` (l2-normalised tf-idf) to `labels` (class indices below `classes`).
pub fn fit(
    rows: &[SparseRow],
    labels: &[usize],
    features: usize,
    classes: usize,
    settings: Settings,
) -> Fitted {
    assert_eq!(rows.len(), labels.len());
    let problem = Problem {
        rows,
        labels,
        features,
        classes,
        penalty: 1.0 / settings.c,
    };
    let (theta, iterations) = lbfgs(&problem, settings);
    let split = features * classes;
    Fitted {
        classes,
        weights: theta[..split].iter().map(|&w| w as f32).collect(),
        bias: theta[split..].iter().map(|&b| b as f32).collect(),
        iterations,
    }
}

struct Problem<'a> {
    rows: &'a [SparseRow],
    labels: &'a [usize],
    features: usize,
    classes: usize,
    penalty: f64,
}

impl Problem<'_> {
    fn dim(&self) -> usize {
        (self.features + 1) * self.classes
    }

    /// Objective value, with its gradient written into `grad`.
    fn eval(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        let k = self.classes;
        let split = self.features * k;
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut loss = 0.0;
        let mut z = vec![0.0f64; k];
        for (row, &y) in self.rows.iter().zip(self.labels) {
            z.copy_from_slice(&theta[split..]);
            for &(j, x) in row {
                let w = &theta[j as usize * k..(j as usize + 1) * k];
                for (zc, wc) in z.iter_mut().zip(w) {
                    *zc += x as f64 * wc;
                }
            }
            let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = z.iter().map(|v| (v - max).exp()).sum();
            let lse = max + sum.ln();
            loss += lse - z[y];
            // z becomes the error p − onehot.
            for (c, zc) in z.iter_mut().enumerate() {
                *zc = (*zc - lse).exp() - if c == y { 1.0 } else { 0.0 };
            }
            for &(j, x) in row {
                let g = &mut grad[j as usize * k..(j as usize + 1) * k];
                for (gc, dc) in g.iter_mut().zip(&z) {
                    *gc += x as f64 * dc;
                }
            }
            for (gb, dc) in grad[split..].iter_mut().zip(&z) {
                *gb += dc;
            }
        }
        let mut reg = 0.0;
        for (g, w) in grad[..split].iter_mut().zip(&theta[..split]) {
            reg += w * w;
            *g += self.penalty * w;
        }
        loss + 0.5 * self.penalty * reg
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Limited-memory BFGS (ten pairs) with a backtracking Armijo line search.
fn lbfgs(p: &Problem, settings: Settings) -> (Vec<f64>, usize) {
    const MEMORY: usize = 10;
    let n = p.dim();
    let scale = p.rows.len().max(1) as f64;
    let mut x = vec![0.0; n];
    let mut g = vec![0.0; n];
    let mut f = p.eval(&x, &mut g);
    let mut pairs: std::collections::VecDeque<(Vec<f64>, Vec<f64>, f64)> =
        std::collections::VecDeque::new();
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    for iteration in 0..settings.max_iterations {
        let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if gmax / scale < settings.tolerance {
            return (x, iteration);
        }
        // Two-loop recursion: d = −H g.
        let mut d: Vec<f64> = g.iter().map(|v| -v).collect();
        let mut alphas = Vec::with_capacity(pairs.len());
        for (s, y, rho) in pairs.iter().rev() {
            let a = rho * dot(s, &d);
            d.iter_mut().zip(y).for_each(|(di, yi)| *di -= a * yi);
            alphas.push(a);
        }
        if let Some((s, y, _)) = pairs.back() {
            let gamma = dot(s, y) / dot(y, y);
            d.iter_mut().for_each(|di| *di *= gamma);
        }
        for ((s, y, rho), a) in pairs.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(y, &d);
            d.iter_mut().zip(s).for_each(|(di, si)| *di += (a - b) * si);
        }
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            pairs.clear();
            d = g.iter().map(|v| -v).collect();
            slope = dot(&g, &d);
        }
        let mut step = if pairs.is_empty() {
            1.0 / dot(&g, &g).sqrt().max(1e-12)
        } else {
            1.0
        };
        let mut accepted = false;
        for _ in 0..40 {
            for i in 0..n {
                x_new[i] = x[i] + step * d[i];
            }
            let f_new = p.eval(&x_new, &mut g_new);
            if f_new <= f + 1e-4 * step * slope {
                let s: Vec<f64> = (0..n).map(|i| x_new[i] - x[i]).collect();
                let y: Vec<f64> = (0..n).map(|i| g_new[i] - g[i]).collect();
                let sy = dot(&s, &y);
                if sy > 1e-10 * dot(&y, &y).max(1e-300) {
                    if pairs.len() == MEMORY {
                        pairs.pop_front();
                    }
                    pairs.push_back((s, y, 1.0 / sy));
                }
                std::mem::swap(&mut x, &mut x_new);
                std::mem::swap(&mut g, &mut g_new);
                let converged = (f - f_new).abs() <= 1e-12 * f.abs().max(1.0);
                f = f_new;
                accepted = true;
                if converged {
                    return (x, iteration + 1);
                }
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            return (x, iteration);
        }
    }
    (x, settings.max_iterations)
}
