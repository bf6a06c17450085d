using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AspService.Data.Sqlite.Migrations.Catalog
{
    /// <inheritdoc />
    public partial class UsageReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UsageReports",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    Csv = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Pdf = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageReports", x => new { x.TenantId, x.Month });
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageReports_Month",
                table: "UsageReports",
                column: "Month");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageReports");
        }
    }
}
