"""The two published early-popularity predictors the forecaster is measured against.

- Szabo, G. and Huberman, B. A. (2010). Predicting the popularity of online content.
  Communications of the ACM 53(8), 80-88. Views grow by a common factor between two ages:
  ln N(t2) = ln N(t1) + r(t1, t2).
- Pinto, H., Almeida, J. M. and Goncalves, M. A. (2013). Using early view patterns to predict the
  popularity of YouTube videos. WSDM 2013, 365-374. N(t2) = Theta . X(t1), with X the views of each
  sampling interval up to t1 (their "ML model").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
Estimator = Literal["log_mean", "min_relative_error"]


@dataclass
class SzaboHuberman:
    """ln N(t2) = ln N(t1) + r: one growth factor for every video between two ages.

    `log_mean` is the maximum-likelihood r of the paper's log-linear (LN) model, the mean of
    ln N(t2) - ln N(t1) over the training videos, with its spread `log_variance`. Because that fit
    minimises the error of the logarithm, the paper also gives the factor that minimises the
    relative squared error of N(t2) itself (the constant scaling model):
    alpha = sum(N(t1)/N(t2)) / sum((N(t1)/N(t2))^2); `min_relative_error` predicts alpha * N(t1).
    """

    estimator: Estimator = "min_relative_error"
    log_rate: float = 0.0
    log_variance: float = 0.0
    scale: float = 1.0

    def fit(self, early: FloatArray, final: FloatArray) -> SzaboHuberman:
        early, final = np.asarray(early, dtype=float), np.asarray(final, dtype=float)
        both = (early > 0) & (final > 0)
        log_ratio = np.log(final[both]) - np.log(early[both])
        self.log_rate = float(np.mean(log_ratio))
        self.log_variance = float(np.var(log_ratio))
        if self.estimator == "log_mean":
            self.scale = float(np.exp(self.log_rate))
        else:
            share = early[final > 0] / final[final > 0]
            self.scale = float(np.sum(share) / np.sum(share**2))
        return self

    def predict(self, early: FloatArray) -> FloatArray:
        return self.scale * np.asarray(early, dtype=float)


@dataclass
class PintoLinear:
    """N(t2) = Theta . X(t1), Theta minimising the mean relative squared error on the training set.

    Minimising sum(((Theta . x_i - N_i) / N_i)^2) is least squares with weights 1/N_i^2, i.e. the
    ordinary least-squares solution of (x_i / N_i) . Theta = 1.
    """

    theta: FloatArray | None = None

    def fit(self, per_interval: FloatArray, final: FloatArray) -> PintoLinear:
        per_interval, final = np.asarray(per_interval, dtype=float), np.asarray(final, dtype=float)
        seen = final > 0
        design = per_interval[seen] / final[seen, None]
        self.theta, *_ = np.linalg.lstsq(design, np.ones(int(seen.sum())), rcond=None)
        return self

    def predict(self, per_interval: FloatArray) -> FloatArray:
        if self.theta is None:
            raise RuntimeError("fit the model first")
        return np.asarray(per_interval, dtype=float) @ self.theta
