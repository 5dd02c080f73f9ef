namespace FashionCore.Models.Linear;

/// <summary>The byte values 0 … 255 as doubles (exact), for byte rows' broadcast loads.</summary>
internal static class ByteValues
{
    /// <summary>Entry k is k: constant data in the assembly image (no static constructor, no class-initialisation check in a loop).</summary>
    public static ReadOnlySpan<double> Doubles =>
    [
        0d, 1d, 2d, 3d, 4d, 5d, 6d, 7d, 8d, 9d, 10d, 11d, 12d, 13d, 14d, 15d,
        16d, 17d, 18d, 19d, 20d, 21d, 22d, 23d, 24d, 25d, 26d, 27d, 28d, 29d, 30d, 31d,
        32d, 33d, 34d, 35d, 36d, 37d, 38d, 39d, 40d, 41d, 42d, 43d, 44d, 45d, 46d, 47d,
        48d, 49d, 50d, 51d, 52d, 53d, 54d, 55d, 56d, 57d, 58d, 59d, 60d, 61d, 62d, 63d,
        64d, 65d, 66d, 67d, 68d, 69d, 70d, 71d, 72d, 73d, 74d, 75d, 76d, 77d, 78d, 79d,
        80d, 81d, 82d, 83d, 84d, 85d, 86d, 87d, 88d, 89d, 90d, 91d, 92d, 93d, 94d, 95d,
        96d, 97d, 98d, 99d, 100d, 101d, 102d, 103d, 104d, 105d, 106d, 107d, 108d, 109d, 110d, 111d,
        112d, 113d, 114d, 115d, 116d, 117d, 118d, 119d, 120d, 121d, 122d, 123d, 124d, 125d, 126d, 127d,
        128d, 129d, 130d, 131d, 132d, 133d, 134d, 135d, 136d, 137d, 138d, 139d, 140d, 141d, 142d, 143d,
        144d, 145d, 146d, 147d, 148d, 149d, 150d, 151d, 152d, 153d, 154d, 155d, 156d, 157d, 158d, 159d,
        160d, 161d, 162d, 163d, 164d, 165d, 166d, 167d, 168d, 169d, 170d, 171d, 172d, 173d, 174d, 175d,
        176d, 177d, 178d, 179d, 180d, 181d, 182d, 183d, 184d, 185d, 186d, 187d, 188d, 189d, 190d, 191d,
        192d, 193d, 194d, 195d, 196d, 197d, 198d, 199d, 200d, 201d, 202d, 203d, 204d, 205d, 206d, 207d,
        208d, 209d, 210d, 211d, 212d, 213d, 214d, 215d, 216d, 217d, 218d, 219d, 220d, 221d, 222d, 223d,
        224d, 225d, 226d, 227d, 228d, 229d, 230d, 231d, 232d, 233d, 234d, 235d, 236d, 237d, 238d, 239d,
        240d, 241d, 242d, 243d, 244d, 245d, 246d, 247d, 248d, 249d, 250d, 251d, 252d, 253d, 254d, 255d,
    ];
}
