using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AspService.Data.Sqlite.Migrations.Catalog
{
    /// <inheritdoc />
    public partial class RelayNodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RelayCommands",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", unicode: false, maxLength: 20, nullable: false),
                    TargetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TerminalId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RelayCommands", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RelayNodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PublicUrl = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHeartbeatAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StoppedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RelayNodes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RelayCommands_CreatedAt",
                table: "RelayCommands",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_RelayNodes_LastHeartbeatAt",
                table: "RelayNodes",
                column: "LastHeartbeatAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RelayCommands");

            migrationBuilder.DropTable(
                name: "RelayNodes");
        }
    }
}
