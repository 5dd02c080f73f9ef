namespace FashionCore.Tools;

public static class Program
{
    public static int Main(string[] args) => 0;
}
