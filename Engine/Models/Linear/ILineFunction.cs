namespace FashionCore.Models.Linear;

/// <summary>A function restricted to a line: φ(α) and its derivative φ'(α) (<see cref="WolfeZoomSearch"/>).</summary>
internal interface ILineFunction
{
    /// <summary>φ(α).</summary>
    double Phi(double alpha);

    /// <summary>φ'(α).</summary>
    double DerPhi(double alpha);
}
