"""Messages of the ``registry`` command. Its language is ``REGISTRY_LANG`` (zh-CN by default);
what scripts read on stdout (a token, nothing else) never changes with it."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.error": ("[red]错误：[/red]{detail}", "[red]error:[/red] {detail}"),
    "cli.error_plain": ("错误：{error}：{detail}", "error: {error}: {detail}"),
    "cli.invalid_option": ("选项 {field}：{message}", "{field}: {message}"),
    "cli.migrated": ("数据库已升级到 {revision}", "database at {revision}"),
    "cli.backup_done": (
        "已备份到 {file}（{pages} 页，完整性检查通过）",
        "backed up to {file} ({pages} pages, integrity ok)",
    ),
    "cli.restore_done": (
        "已从 {file} 恢复（{pages} 页，完整性检查通过）",
        "restored from {file} ({pages} pages, integrity ok)",
    ),
    "cli.restore_needs_yes": (
        "恢复会替换数据库的全部内容：请先停止服务，再加 --yes 执行",
        "a restore replaces the whole database: stop the server, then run it with --yes",
    ),
    "cli.seeded": ("种子数据载入：{summary}", "seed loaded: {summary}"),
    "cli.user_created": ("已创建用户 {username}", "user {username} created"),
    "cli.token_revoked": ("令牌 {id} 已撤销", "token {id} revoked"),
    "cli.token.columns": (
        "编号,名称,角色,管理部门,院校,提示,创建时间,到期时间,状态",
        "id,name,role,authority,college,hint,created,expires,state",
    ),
    "cli.token.active": ("有效", "active"),
    "cli.token.revoked": ("已撤销", "revoked"),
    "cli.token.expired": ("已过期", "expired"),
    "cli.import.summary": (
        "共 {rows} 行：新增 {inserted}，更新 {updated}，未变 {unchanged}",
        "rows: {rows}, inserted: {inserted}, updated: {updated}, unchanged: {unchanged}",
    ),
    "cli.import.row_error": (
        "第 {row} 行，{column} 列：{code}：{message}{value}{hint}",
        "row {row}, column {column}: {code}: {message}{value}{hint}",
    ),
    "cli.import.value": ("（值：{value}）", " [{value}]"),
    "cli.import.suggestion": ("（建议：{suggestion}）", " (suggestion: {suggestion})"),
    "cli.import.more_errors": ("……另有 {count} 处错误", "… and {count} more errors"),
    "cli.import.rejected": (
        "共 {count} 处错误；未导入任何数据",
        "{count} error(s); nothing was imported",
    ),
    "cli.adopt.pending": ("待定", "to decide"),
    "cli.adopt.collision": ("合并冲突", "collision"),
    "cli.adopt.withdrawn": ("撤销专业", "withdrawn"),
    "cli.adopt.moved": ("迁移", "moved"),
    "cli.adopt.any_major": ("（任选新目录专业）", "(any major of the new edition)"),
    "cli.adopt.keep_retire": ("保留 #{keep}，撤销 {retired}", "keeps #{keep}, retires {retired}"),
    "cli.adopt.suspend": ("停招", "suspended"),
    "cli.adopt.active_until": ("在办至 {until}", "active until {until}"),
    "cli.adopt.decided": ("已决定", "decided"),
    "cli.adopt.refused": ("未应用：{message}", "not applied: {message}"),
    "cli.adopt.applied": (
        "已应用：自 {day} 起 {new} 取代 {old}",
        "applied: {new} replaces {old} from {day}",
    ),
    "cli.adopt.nothing": ("无需更改：已全部应用", "nothing to change: already applied"),
    "cli.phase.checking": ("检查", "checking"),
    "cli.phase.writing": ("写入", "writing"),
    # ---- issue 27: imports that know their base
    "cli.import.stale_row": (
        "第 {row} 行：{college_code} {major_code} {level} {intake}（专业 {program_id}）"
        "在变更 {changed_seq} 中已被修改",
        "row {row}: {college_code} {major_code} {level} {intake} (program {program_id}) was "
        "changed by change {changed_seq}",
    ),
    # ---- issue 26: deploy and operate
    "sizing.too_many": (
        "数据库连接不够：{nodes} 个节点 × {workers} 个工作进程 × （2 个连接池 × "
        "（{pool} + {overflow} 溢出）+ {pool}）等需要最多 {needed} 个连接，"
        "而 PostgreSQL 只允许 {available} 个（max_connections 减去保留的连接）。"
        "请减小 REGISTRY_DB_POOL_SIZE、REGISTRY_DB_MAX_OVERFLOW 或 REGISTRY_WORKERS，"
        "或增大 max_connections（见 docs/deploy.md）",
        "not enough database connections: {nodes} nodes × {workers} workers × (2 pools × "
        "({pool} + {overflow} overflow) + {pool}) and the rest need up to {needed} connections, "
        "PostgreSQL allows {available} (max_connections less the reserved ones). "
        "Lower REGISTRY_DB_POOL_SIZE, REGISTRY_DB_MAX_OVERFLOW or REGISTRY_WORKERS, "
        "or raise max_connections (docs/deploy.md)",
    ),
    "sizing.sqlite_nodes": (
        "SQLite 只能用于单个节点（REGISTRY_NODES={nodes}）："
        "多个节点请使用 PostgreSQL（见 docs/deploy.md）",
        "SQLite serves one node only (REGISTRY_NODES={nodes}): use PostgreSQL for several "
        "(docs/deploy.md)",
    ),
    "cli.serve.migrated": (
        "启动前已升级数据库（REGISTRY_MIGRATE_ON_START）",
        "database upgraded before start (REGISTRY_MIGRATE_ON_START)",
    ),
    "cli.serve.seeded": (
        "启动前已载入种子数据 {seed}（REGISTRY_SEED）：{summary}",
        "seed {seed} loaded before start (REGISTRY_SEED): {summary}",
    ),
}
