using System.Data.Common;

namespace BatchMonitor.Core.Storage;

/// <summary>
/// Statements made once on a connection and run again with new values, so the engine's hot path does not build and
/// parse the same SQL for every transaction. Each is enlisted in the transaction given when it is asked for.
/// </summary>
internal sealed class PreparedCommands(DbConnection connection) : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = [];

    /// <summary>The statement named <paramref name="name"/>, made on first use with these parameter names.</summary>
    public DbCommand Get(string name, string sql, DbTransaction? transaction, params string[] parameters)
    {
        if (!_commands.TryGetValue(name, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var parameter in parameters)
            {
                var p = command.CreateParameter();
                p.ParameterName = "@" + parameter;
                command.Parameters.Add(p);
            }
            _commands[name] = command;
        }
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Gives the parameters their values, in the order they were named.</summary>
    public static void Set(DbCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
    }

    /// <summary>Leaves the transaction that has ended.</summary>
    public void Unenlist()
    {
        foreach (var command in _commands.Values) command.Transaction = null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values) await command.DisposeAsync();
        _commands.Clear();
    }
}
