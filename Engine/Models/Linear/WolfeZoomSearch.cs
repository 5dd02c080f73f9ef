using System.Numerics.Tensors;

namespace FashionCore.Models.Linear;

/// <summary>
/// scipy 1.10.1's <c>line_search_wolfe2</c>, where sklearn's <c>_line_search_wolfe12</c> falls back when the
/// Moré–Thuente search fails: <c>scalar_search_wolfe2</c> doubles the step (at most 10 times) until it meets the strong
/// Wolfe conditions (c1 = 1e-4, c2 = 0.9) or brackets a point that does, which <c>_zoom</c> then narrows with cubic,
/// quadratic or bisecting trial steps (at most 11). No largest step, no extra condition.
/// </summary>
/// <remarks>
/// <para>
/// scipy's branches and arithmetic are followed operation by operation, so that the trial steps are scipy's up to the
/// rounding of F and ∇F·p. Its 2×2 product in <c>_cubicmin</c> is OpenBLAS's <c>dgemv</c>, which forms each entry as
/// fma(d₀, v₀, d₁·v₁) (checked against numpy on 40 000 random products), and so is it here. Its squares and cubes
/// (<c>x**2</c>, <c>x**3</c>) are libm's <c>pow</c>, which is not always the rounded x·x (glibc: in ~0.08% of random
/// doubles); <see cref="Math.Pow"/> calls the same libm on Linux, so they are taken with it too.
/// </para>
/// <para>
/// <c>_cubicmin</c> and <c>_quadmin</c> run under numpy's <c>errstate(divide, over, invalid='raise')</c> and give no
/// step when an operation raises: here, when an intermediate value is not finite. With finite F values (the logistic
/// objective's always are) the two agree: an infinity or NaN first appears exactly where numpy would raise.
/// </para>
/// <para>
/// Where Newton's direction is exactly zero (CG stops at once when the curvature along −∇F is below 3·eps), the slope is
/// 0, the Moré–Thuente search rejects it, and this takes the step 1, which changes nothing: sklearn then goes on to
/// max_iter, and so does this. Where F merely stops changing, the next first step 1.01·2·(F − F_prev)/slope is ±0, both
/// searches fail, and the run stops there ("Line Search failed"), as in sklearn.
/// </para>
/// </remarks>
internal static class WolfeZoomSearch
{
    private const double C1 = 1e-4;
    private const double C2 = 0.9;
    private const int MaxDoublings = 10;
    private const int MaxZoomSteps = 10;
    private const double CubicCheck = 0.2;
    private const double QuadraticCheck = 0.1;

    /// <summary>
    /// Finds α along <paramref name="direction"/> from <paramref name="w"/>, where F is <paramref name="value"/> and
    /// ∇F·p is <paramref name="slope"/>; <paramref name="previousValue"/> (F at the previous iterate, NaN for none) sets
    /// the first step as scipy does. On success <paramref name="trialGradient"/> holds ∇F(w + α·p) and F's cached state
    /// is at that point.
    /// </summary>
    /// <returns>α and F there; α is NaN where scipy returns no step (sklearn then stops: "Line Search failed").</returns>
    public static (double Alpha, double Value) Search<T>(
        LogisticObjective<T> f, double[] w, double value, double previousValue, double slope, double[] direction, double[] trial, double[] trialGradient)
        where T : unmanaged
    {
        var line = new ObjectiveLine<T>(f, w, direction, trial, trialGradient);
        (double alpha, double phi) = Search(line, value, previousValue, slope);
        if (!double.IsNaN(alpha))
        {
            line.Phi(alpha); // the state at the step (a no-op unless the search evaluated elsewhere last)
        }

        return (alpha, phi);
    }

    /// <summary>
    /// scipy's <c>scalar_search_wolfe2</c> on <paramref name="line"/> from φ(0) = <paramref name="phi0"/>, φ'(0) =
    /// <paramref name="derphi0"/> and the previous iterate's value <paramref name="previousPhi"/> (NaN for none):
    /// calls φ and φ' where scipy calls them, in the same order.
    /// </summary>
    /// <returns>α and φ(α), or NaN for α where scipy returns None.</returns>
    public static (double Alpha, double Value) Search<TLine>(TLine line, double phi0, double previousPhi, double derphi0)
        where TLine : ILineFunction
    {
        double alpha0 = 0.0;
        double alpha1 = 1.0;
        if (!double.IsNaN(previousPhi) && derphi0 != 0)
        {
            // Python's min(1.0, x): x only when it is smaller (a NaN guess keeps 1.0).
            double guess = 1.01 * 2 * (phi0 - previousPhi) / derphi0;
            alpha1 = guess < 1.0 ? guess : 1.0;
        }

        if (alpha1 < 0)
        {
            alpha1 = 1.0;
        }

        double phiA1 = line.Phi(alpha1);
        double phiA0 = phi0;
        double derphiA0 = derphi0;
        for (int i = 0; i < MaxDoublings; i++)
        {
            if (alpha1 == 0)
            {
                return (double.NaN, phi0); // "Rounding errors prevent the line search from converging"
            }

            if (phiA1 > phi0 + (C1 * alpha1 * derphi0) || (phiA1 >= phiA0 && i > 0))
            {
                return Zoom(line, alpha0, alpha1, phiA0, phiA1, derphiA0, phi0, derphi0);
            }

            double derphiA1 = line.DerPhi(alpha1);
            if (Math.Abs(derphiA1) <= -C2 * derphi0)
            {
                return (alpha1, phiA1);
            }

            if (derphiA1 >= 0)
            {
                return Zoom(line, alpha1, alpha0, phiA1, phiA0, derphiA1, phi0, derphi0);
            }

            alpha0 = alpha1;
            alpha1 = 2 * alpha1;
            phiA0 = phiA1;
            phiA1 = line.Phi(alpha1);
            derphiA0 = derphiA1;
        }

        // Out of doublings: scipy returns the last step (with a warning that the search did not converge).
        return (alpha1, phiA1);
    }

    private static (double Alpha, double Value) Zoom<TLine>(
        TLine line, double aLo, double aHi, double phiLo, double phiHi, double derphiLo, double phi0, double derphi0)
        where TLine : ILineFunction
    {
        double phiRec = phi0;
        double aRec = 0.0;
        for (int i = 0; ; i++)
        {
            if (i > MaxZoomSteps)
            {
                return (double.NaN, phi0); // no conforming step
            }

            double dalpha = aHi - aLo;
            (double a, double b) = dalpha < 0 ? (aHi, aLo) : (aLo, aHi);

            // The cubic through both ends and the previous end, else the quadratic through the low end's value and
            // slope and the high end's value, else the midpoint: whichever first lands inside the interval away from
            // its ends (scipy's checks, taken with the sign of dalpha as scipy takes them).
            double? step = null;
            if (i > 0 && CubicMin(aLo, phiLo, derphiLo, aHi, phiHi, aRec, phiRec) is double c && Inside(c, a, b, CubicCheck * dalpha))
            {
                step = c;
            }

            step ??= QuadMin(aLo, phiLo, derphiLo, aHi, phiHi) is double q && Inside(q, a, b, QuadraticCheck * dalpha)
                ? q
                : aLo + (0.5 * dalpha);
            double aj = step.Value;
            double phiAj = line.Phi(aj);
            if (phiAj > phi0 + (C1 * aj * derphi0) || phiAj >= phiLo)
            {
                phiRec = phiHi;
                aRec = aHi;
                aHi = aj;
                phiHi = phiAj;
                continue;
            }

            double derphiAj = line.DerPhi(aj);
            if (Math.Abs(derphiAj) <= -C2 * derphi0)
            {
                return (aj, phiAj);
            }

            if (derphiAj * (aHi - aLo) >= 0)
            {
                phiRec = phiHi;
                aRec = aHi;
                aHi = aLo;
                phiHi = phiLo;
            }
            else
            {
                phiRec = phiLo;
                aRec = aLo;
            }

            aLo = aj;
            phiLo = phiAj;
            derphiLo = derphiAj;
        }
    }

    /// <summary>
    /// scipy's <c>_cubicmin</c>: the minimiser of the cubic through (a, fa) with slope fpa, (b, fb) and (c, fc); null
    /// where numpy would raise or the result is not finite.
    /// </summary>
    internal static double? CubicMin(double a, double fa, double fpa, double b, double fb, double c, double fc)
    {
        double slope = fpa;
        double db = b - a;
        double dc = c - a;
        double dbdc = db * dc;
        double denom = Math.Pow(dbdc, 2) * (db - dc);
        double dc2 = Math.Pow(dc, 2);
        double db2 = Math.Pow(db, 2);
        double dc3 = Math.Pow(dc, 3);
        double db3 = Math.Pow(db, 3);
        double v0 = fb - fa - (slope * db);
        double v1 = fc - fa - (slope * dc);
        double coefA = Math.FusedMultiplyAdd(dc2, v0, -db2 * v1) / denom;
        double coefB = Math.FusedMultiplyAdd(-dc3, v0, db3 * v1) / denom;
        double radical = (coefB * coefB) - (3 * coefA * slope);
        double xmin = a + ((-coefB + Math.Sqrt(radical)) / (3 * coefA));
        return AllFinite(dbdc, denom, dc2, db2, dc3, db3, v0, v1, coefA, coefB, radical, xmin) ? xmin : null;
    }

    /// <summary>
    /// scipy's <c>_quadmin</c>: the minimiser of the quadratic through (a, fa) with slope fpa and (b, fb); null where
    /// numpy would raise or the result is not finite.
    /// </summary>
    internal static double? QuadMin(double a, double fa, double fpa, double b, double fb)
    {
        double db = b - a;
        double db2 = db * db;
        double curvature = (fb - fa - (fpa * db)) / db2;
        double xmin = a - (fpa / (2.0 * curvature));
        return AllFinite(db, db2, curvature, xmin) ? xmin : null;
    }

    // scipy rejects a trial step when a_j > b − check or a_j < a + check.
    private static bool Inside(double step, double a, double b, double check) => !(step > b - check) && !(step < a + check);

    private static bool AllFinite(params ReadOnlySpan<double> values)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    // φ(α) = F(w + α·p) and φ'(α) = ∇F(w + α·p)·p, one objective evaluation per distinct α (it gives both). The trial
    // point is w + α·p rounded as numpy's xk + alpha*pk (a product, then a sum).
    private sealed class ObjectiveLine<T>(LogisticObjective<T> f, double[] w, double[] direction, double[] trial, double[] trialGradient) : ILineFunction
        where T : unmanaged
    {
        private double _at = double.NaN;
        private double _value;

        public double Phi(double alpha)
        {
            if (alpha != _at)
            {
                TensorPrimitives.MultiplyAdd(direction, alpha, w, trial);
                _value = f.ValueAndGradient(trial, trialGradient);
                _at = alpha;
            }

            return _value;
        }

        public double DerPhi(double alpha)
        {
            Phi(alpha);
            return TensorPrimitives.Dot<double>(trialGradient, direction);
        }
    }
}
