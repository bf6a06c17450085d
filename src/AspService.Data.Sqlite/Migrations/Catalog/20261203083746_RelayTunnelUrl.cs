using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AspService.Data.Sqlite.Migrations.Catalog
{
    /// <inheritdoc />
    public partial class RelayTunnelUrl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TunnelUrl",
                table: "RelayNodes",
                type: "TEXT",
                maxLength: 300,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TunnelUrl",
                table: "RelayNodes");
        }
    }
}
