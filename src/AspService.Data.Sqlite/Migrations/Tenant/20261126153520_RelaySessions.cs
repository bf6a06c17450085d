using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AspService.Data.Sqlite.Migrations.Tenant
{
    /// <inheritdoc />
    public partial class RelaySessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "RelayNodeId",
                table: "Terminals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReportedRedirection",
                table: "Terminals",
                type: "TEXT",
                unicode: false,
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Sessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HomeTerminalId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HomeCertificateSerial = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    OfficeTerminalId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RelayNodeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", unicode: false, maxLength: 12, nullable: false),
                    SourceAddress = table.Column<string>(type: "TEXT", unicode: false, maxLength: 45, nullable: true),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: true),
                    BytesHomeToOffice = table.Column<long>(type: "INTEGER", nullable: false),
                    BytesOfficeToHome = table.Column<long>(type: "INTEGER", nullable: false),
                    TicketHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    TicketExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TicketUsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sessions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_RequestedAt",
                table: "Sessions",
                column: "RequestedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_State_UserId",
                table: "Sessions",
                columns: new[] { "State", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_TicketHash",
                table: "Sessions",
                column: "TicketHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Sessions");

            migrationBuilder.DropColumn(
                name: "RelayNodeId",
                table: "Terminals");

            migrationBuilder.DropColumn(
                name: "ReportedRedirection",
                table: "Terminals");
        }
    }
}
