using System.Globalization;

namespace AspService.Benchmarks.Infrastructure;

/// <summary>CPU time and resident memory of processes (and their children), read from /proc.</summary>
public static class ProcStats
{
    /// <summary>Peak (VmHWM) and current (VmRSS) resident memory in bytes; zeros when the process is gone.</summary>
    public static (long Peak, long Current) Memory(int pid)
    {
        long peak = 0, current = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Id(pid)}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line);
                }
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    current = Kilobytes(line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Exited meanwhile.
        }

        return (peak, current);
    }

    /// <summary>CPU time used so far (user + system), from /proc/&lt;pid&gt;/stat.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Id(pid)}/stat");
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15 (clock ticks of 1/100 s).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>Context switches (voluntary + involuntary) of all the process's threads so far.</summary>
    public static long ContextSwitches(int pid)
    {
        long total = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{Id(pid)}/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            total += long.Parse(line.Split(':', 2)[1].Trim(), CultureInfo.InvariantCulture);
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Thread ended meanwhile.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Exited.
        }

        return total;
    }

    /// <summary>Resets VmHWM to the current RSS (Linux: "5" into clear_refs), so a later peak belongs to one phase. False when refused.</summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{Id(pid)}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The process and its direct children (nginx: master and workers).</summary>
    public static IReadOnlyList<int> WithChildren(int pid)
    {
        var all = new List<int> { pid };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    all.Add(child);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }

        return all;
    }

    private static string Id(int pid) => pid.ToString(CultureInfo.InvariantCulture);

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
