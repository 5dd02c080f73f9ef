namespace FashionCore.Models.Linear;

/// <summary>
/// The Moré–Thuente line search as MINPACK-2's <c>dcsrch</c>/<c>dcstep</c> run it, the search behind scipy's
/// L-BFGS-B (<c>lnsrlb</c>) and <c>line_search_wolfe1</c> (sklearn's newton-cg): a reverse-communication state machine
/// that is given φ(stp) and φ'(stp) for each step it asks for and proposes the next, by the same safeguarded
/// cubic/quadratic interpolation, so a solver driving it takes scipy's steps.
/// </summary>
/// <remarks>
/// Moré &amp; Thuente, "Line search algorithms with guaranteed sufficient decrease", ACM TOMS 20 (1994). Until the
/// interval brackets a step with φ(stp) ≤ φ(0) + ftol·stp·φ'(0) and φ'(stp) ≥ 0, the search minimises the auxiliary
/// ψ(stp) = φ(stp) − φ(0) − ftol·stp·φ'(0) instead of φ (its "stage 1").
/// </remarks>
internal struct MoreThuenteSearch
{
    private const double ExtrapolateLower = 1.1;
    private const double ExtrapolateUpper = 4.0;

    private readonly double _ftol;
    private readonly double _gtol;
    private readonly double _xtol;
    private readonly double _stpmin;
    private readonly double _stpmax;
    private bool _started;
    private bool _bracketed;
    private bool _stage1;
    private double _finit;
    private double _ginit;
    private double _gtest;
    private double _width;
    private double _width1;
    private double _stx;
    private double _fx;
    private double _gx;
    private double _sty;
    private double _fy;
    private double _gy;
    private double _stmin;
    private double _stmax;

    /// <summary>A search with dcsrch's parameters.</summary>
    /// <param name="ftol">Sufficient decrease constant (c1).</param>
    /// <param name="gtol">Curvature constant (c2).</param>
    /// <param name="xtol">Relative width below which the bracket is too small to go on.</param>
    /// <param name="stpmin">Smallest step.</param>
    /// <param name="stpmax">Largest step.</param>
    public MoreThuenteSearch(double ftol, double gtol, double xtol, double stpmin, double stpmax)
    {
        _ftol = ftol;
        _gtol = gtol;
        _xtol = xtol;
        _stpmin = stpmin;
        _stpmax = stpmax;
    }

    /// <summary>
    /// One call of dcsrch: the first with stp the initial step and f, g = φ(0), φ'(0); each next with f, g = φ(stp),
    /// φ'(stp) at the step it returned. Returns what to do next; on <see cref="LineSearchTask.Evaluate"/>,
    /// <paramref name="stp"/> holds the step to evaluate.
    /// </summary>
    /// <param name="stp">The current step in, the next step out.</param>
    /// <param name="f">φ at the current step (φ(0) on the first call).</param>
    /// <param name="g">φ' at the current step (φ'(0) on the first call).</param>
    /// <returns>The task.</returns>
    public LineSearchTask Next(ref double stp, double f, double g)
    {
        if (!_started)
        {
            if (stp < _stpmin || stp > _stpmax || g >= 0 || _ftol < 0 || _gtol < 0 || _xtol < 0 || _stpmin < 0 || _stpmax < _stpmin)
            {
                return LineSearchTask.Error;
            }

            _started = true;
            _bracketed = false;
            _stage1 = true;
            _finit = f;
            _ginit = g;
            _gtest = _ftol * _ginit;
            _width = _stpmax - _stpmin;
            _width1 = _width / 0.5;
            _stx = 0.0;
            _fx = _finit;
            _gx = _ginit;
            _sty = 0.0;
            _fy = _finit;
            _gy = _ginit;
            _stmin = 0.0;
            _stmax = stp + (ExtrapolateUpper * stp);
            return LineSearchTask.Evaluate;
        }

        double ftest = _finit + (stp * _gtest);
        if (_stage1 && f <= ftest && g >= 0.0)
        {
            _stage1 = false;
        }

        LineSearchTask task = LineSearchTask.Evaluate;
        if (_bracketed && (stp <= _stmin || stp >= _stmax))
        {
            task = LineSearchTask.WarningRounding;
        }

        if (_bracketed && _stmax - _stmin <= _xtol * _stmax)
        {
            task = LineSearchTask.WarningXtol;
        }

        if (stp == _stpmax && f <= ftest && g <= _gtest)
        {
            task = LineSearchTask.WarningStpmax;
        }

        if (stp == _stpmin && (f > ftest || g >= _gtest))
        {
            task = LineSearchTask.WarningStpmin;
        }

        if (f <= ftest && Math.Abs(g) <= _gtol * -_ginit)
        {
            task = LineSearchTask.Converged;
        }

        if (task != LineSearchTask.Evaluate)
        {
            return task;
        }

        if (_stage1 && f <= _fx && f > ftest)
        {
            // Stage 1 on ψ: the function values and derivatives shifted by the sufficient-decrease line.
            double fm = f - (stp * _gtest);
            double fxm = _fx - (_stx * _gtest);
            double fym = _fy - (_sty * _gtest);
            double gm = g - _gtest;
            double gxm = _gx - _gtest;
            double gym = _gy - _gtest;
            Step(ref _stx, ref fxm, ref gxm, ref _sty, ref fym, ref gym, ref stp, fm, gm, ref _bracketed, _stmin, _stmax);
            _fx = fxm + (_stx * _gtest);
            _fy = fym + (_sty * _gtest);
            _gx = gxm + _gtest;
            _gy = gym + _gtest;
        }
        else
        {
            Step(ref _stx, ref _fx, ref _gx, ref _sty, ref _fy, ref _gy, ref stp, f, g, ref _bracketed, _stmin, _stmax);
        }

        if (_bracketed)
        {
            // Bisect when the interval did not shrink enough over two steps.
            if (Math.Abs(_sty - _stx) >= 0.66 * _width1)
            {
                stp = _stx + (0.5 * (_sty - _stx));
            }

            _width1 = _width;
            _width = Math.Abs(_sty - _stx);
            _stmin = Math.Min(_stx, _sty);
            _stmax = Math.Max(_stx, _sty);
        }
        else
        {
            _stmin = stp + (ExtrapolateLower * (stp - _stx));
            _stmax = stp + (ExtrapolateUpper * (stp - _stx));
        }

        stp = Math.Max(stp, _stpmin);
        stp = Math.Min(stp, _stpmax);
        if ((_bracketed && (stp <= _stmin || stp >= _stmax)) || (_bracketed && _stmax - _stmin <= _xtol * _stmax))
        {
            stp = _stx;
        }

        return LineSearchTask.Evaluate;
    }

    // dcstep: the safeguarded step from the best step stx, the other end sty and the trial stp (with their values and
    // derivatives), updating the interval. The four cases of Moré & Thuente §4.
    private static void Step(
        ref double stx, ref double fx, ref double dx, ref double sty, ref double fy, ref double dy,
        ref double stp, double fp, double dp, ref bool bracketed, double stpmin, double stpmax)
    {
        double sgnd = dp * (dx / Math.Abs(dx));
        double stpf;
        if (fp > fx)
        {
            // Case 1: a higher value. The minimum is bracketed; take the cubic step if closer to stx, else the average.
            double theta = (3.0 * (fx - fp) / (stp - stx)) + dx + dp;
            double s = Math.Max(Math.Abs(theta), Math.Max(Math.Abs(dx), Math.Abs(dp)));
            double gamma = s * Math.Sqrt(((theta / s) * (theta / s)) - ((dx / s) * (dp / s)));
            if (stp < stx)
            {
                gamma = -gamma;
            }

            double p = (gamma - dx) + theta;
            double q = ((gamma - dx) + gamma) + dp;
            double r = p / q;
            double stpc = stx + (r * (stp - stx));
            double stpq = stx + (dx / (((fx - fp) / (stp - stx)) + dx) / 2.0 * (stp - stx));
            stpf = Math.Abs(stpc - stx) < Math.Abs(stpq - stx) ? stpc : stpc + ((stpq - stpc) / 2.0);
            bracketed = true;
        }
        else if (sgnd < 0.0)
        {
            // Case 2: lower value, derivatives of opposite sign. Bracketed; the step farther from stp.
            double theta = (3.0 * (fx - fp) / (stp - stx)) + dx + dp;
            double s = Math.Max(Math.Abs(theta), Math.Max(Math.Abs(dx), Math.Abs(dp)));
            double gamma = s * Math.Sqrt(((theta / s) * (theta / s)) - ((dx / s) * (dp / s)));
            if (stp > stx)
            {
                gamma = -gamma;
            }

            double p = (gamma - dp) + theta;
            double q = ((gamma - dp) + gamma) + dx;
            double r = p / q;
            double stpc = stp + (r * (stx - stp));
            double stpq = stp + (dp / (dp - dx) * (stx - stp));
            stpf = Math.Abs(stpc - stp) > Math.Abs(stpq - stp) ? stpc : stpq;
            bracketed = true;
        }
        else if (Math.Abs(dp) < Math.Abs(dx))
        {
            // Case 3: lower value, same-sign derivative decreasing in magnitude. The cubic step only if it heads the
            // right way (else the bound), compared with the secant step.
            double theta = (3.0 * (fx - fp) / (stp - stx)) + dx + dp;
            double s = Math.Max(Math.Abs(theta), Math.Max(Math.Abs(dx), Math.Abs(dp)));
            double gamma = s * Math.Sqrt(Math.Max(0.0, ((theta / s) * (theta / s)) - ((dx / s) * (dp / s))));
            if (stp > stx)
            {
                gamma = -gamma;
            }

            double p = (gamma - dp) + theta;
            double q = (gamma + (dx - dp)) + gamma;
            double r = p / q;
            double stpc = r < 0.0 && gamma != 0.0 ? stp + (r * (stx - stp)) : stp > stx ? stpmax : stpmin;
            double stpq = stp + (dp / (dp - dx) * (stx - stp));
            if (bracketed)
            {
                stpf = Math.Abs(stpc - stp) < Math.Abs(stpq - stp) ? stpc : stpq;
                stpf = stp > stx ? Math.Min(stp + (0.66 * (sty - stp)), stpf) : Math.Max(stp + (0.66 * (sty - stp)), stpf);
            }
            else
            {
                stpf = Math.Abs(stpc - stp) > Math.Abs(stpq - stp) ? stpc : stpq;
                stpf = Math.Min(stpmax, stpf);
                stpf = Math.Max(stpmin, stpf);
            }
        }
        else
        {
            // Case 4: lower value, same-sign derivative not decreasing. The cubic step on (stp, sty) if bracketed.
            if (bracketed)
            {
                double theta = (3.0 * (fp - fy) / (sty - stp)) + dy + dp;
                double s = Math.Max(Math.Abs(theta), Math.Max(Math.Abs(dy), Math.Abs(dp)));
                double gamma = s * Math.Sqrt(((theta / s) * (theta / s)) - ((dy / s) * (dp / s)));
                if (stp > sty)
                {
                    gamma = -gamma;
                }

                double p = (gamma - dp) + theta;
                double q = ((gamma - dp) + gamma) + dy;
                double r = p / q;
                stpf = stp + (r * (sty - stp));
            }
            else
            {
                stpf = stp > stx ? stpmax : stpmin;
            }
        }

        if (fp > fx)
        {
            sty = stp;
            fy = fp;
            dy = dp;
        }
        else
        {
            if (sgnd < 0.0)
            {
                sty = stx;
                fy = fx;
                dy = dx;
            }

            stx = stp;
            fx = fp;
            dx = dp;
        }

        stp = stpf;
    }
}

/// <summary>What <see cref="MoreThuenteSearch.Next"/> asks for (dcsrch's task strings).</summary>
internal enum LineSearchTask
{
    /// <summary>"FG": evaluate φ and φ' at the returned step.</summary>
    Evaluate,

    /// <summary>"CONVERGENCE": the step satisfies the strong Wolfe conditions.</summary>
    Converged,

    /// <summary>"WARNING: ROUNDING ERRORS PREVENT PROGRESS".</summary>
    WarningRounding,

    /// <summary>"WARNING: XTOL TEST SATISFIED".</summary>
    WarningXtol,

    /// <summary>"WARNING: STP = STPMAX".</summary>
    WarningStpmax,

    /// <summary>"WARNING: STP = STPMIN".</summary>
    WarningStpmin,

    /// <summary>"ERROR: …": bad parameters or an ascent direction on the first call.</summary>
    Error,
}
