"""The API's own documentation: a Chinese and an English description of every OpenAPI tag
(``openapi.tag.<tag>``) and every operation (``openapi.op.<operationId>``), rendered into
``/openapi.json`` in the reader's language (app/openapi.py). A route added without its entry
fails tests/i18n/test_openapi.py, which names the key to add here."""

_OP = "openapi.op."

MESSAGES: dict[str, tuple[str, str]] = {
    "openapi.info": (
        "职业院校专业登记库：专业目录、学校、专业点、新增专业申报、主管部门审核及年度核准公布名单。"
        "公开数据无需令牌；写操作需要 `Authorization: Bearer <token>`（由 `registry token create`"
        " 生成）。说明默认为中文，请求头 `Accept-Language: en` 返回英文。",
        "The registry of vocational college programs: catalogs, colleges, programs, filings of new "
        "majors, the bureau's review, and the yearly approval lists. Public data needs no token; "
        "writes need `Authorization: Bearer <token>` from `registry token create`. Descriptions "
        "are Chinese by default, English with `Accept-Language: en`.",
    ),
    # tags
    "openapi.tag.programs": (
        "专业点（学校开设的专业、层次、起点）：查询、新建、修改、批量导入。",
        "Programs (a college's major, level and intake): search, create, edit, bulk import.",
    ),
    "openapi.tag.publications": (
        "年度核准公布名单：起草、发布、勘误、下载、年度差异与统计。",
        "The yearly approval lists: drafts, publishing, corrections, downloads, diffs, statistics.",
    ),
    "openapi.tag.exports": (
        "导出：CSV（带 BOM）与 XLSX，代码以文本保存。",
        "Exports: CSV (with a BOM) and XLSX, codes stored as text.",
    ),
    "openapi.tag.catalog": (
        "专业目录：版本、专业、新旧专业对照及新目录的启用方案。",
        "Catalogs of majors: editions, majors, the old-to-new crosswalk and adoption plans.",
    ),
    "openapi.tag.colleges": (
        "学校：代码、名称、类型、办学性质、所在地。",
        "Colleges: code, name, type, ownership, location.",
    ),
    "openapi.tag.directions": (
        "中职专业方向的规范备案（附件3）。",
        "Registered directions of 中职 majors (附件3).",
    ),
    "openapi.tag.rounds": (
        "申报批次：时间窗口与适用的目录版本。",
        "Filing rounds: the window and the catalog editions in force.",
    ),
    "openapi.tag.filings": (
        "新增专业申报：校验、模板、导入、提交、撤回。",
        "Filings of new programs: validation, template, import, submit, withdraw.",
    ),
    "openapi.tag.review": (
        "主管部门审核：逐条或批量决定，以及报省审核的提议。",
        "The bureau's review: decisions one by one or in bulk, and referrals to the province.",
    ),
    "openapi.tag.access": (
        "访问控制：当前身份、令牌与审计日志。",
        "Access: the caller's identity, tokens and the audit log.",
    ),
    "openapi.tag.changes": (
        "变更流：按序号读取登记库的每一次变更，用于同步副本。",
        "The change feed: every change of the registry by sequence number, to keep copies in sync.",
    ),
    "openapi.tag.webhooks": (
        "Webhook：将变更流推送到外部地址，带签名与投递日志。",
        "Webhooks: the change feed pushed to a URL, signed, with a delivery log.",
    ),
    # programs
    _OP + "programs_list": (
        "按学校、专业、类别、层次、起点、状态、省份、年份筛选专业点，按键集分页。",
        "Programs filtered by college, major, category, level, intake, status, province, year; "
        "keyset paging.",
    ),
    _OP + "program_create": (
        "登记一个专业点（学校、专业代码、层次、起点、学制、开设年份）。",
        "Record a program (college, major code, level, intake, length, first year).",
    ),
    _OP + "programs_import": (
        "从 CSV/XLSX 文件批量导入专业点，全部成功或全部不写入。",
        "Import programs from a CSV/XLSX file, all or nothing.",
    ),
    _OP + "program_get": (
        "单个专业点及其曾用代码。",
        "One program, with its former codes.",
    ),
    _OP + "program_update": (
        "修改专业点的学制、状态等字段。",
        "Edit a program's length, status and other fields.",
    ),
    _OP + "programs_csv": (
        "按与专业点列表相同的筛选条件导出 CSV（流式）。",
        "The programs matching the list's filters as CSV (streamed).",
    ),
    _OP + "programs_xlsx": (
        "按与专业点列表相同的筛选条件导出 XLSX。",
        "The programs matching the list's filters as XLSX.",
    ),
    # publications
    _OP + "publications_diff": (
        "两个年份或两个修订版之间的差异：新增、删除、变更的条目。",
        "The difference between two years or revisions: lines added, removed, changed.",
    ),
    _OP + "publications_diff_csv": (
        "名单差异的 CSV 下载。",
        "The difference between two lists as CSV.",
    ),
    _OP + "publications_diff_xlsx": (
        "名单差异的 XLSX 下载。",
        "The difference between two lists as XLSX.",
    ),
    _OP + "statistics_approvals": (
        "核准统计：按年份、类别、层次、起点、学校汇总已发布名单。",
        "Approval statistics: published lines by year, category, level, intake, college.",
    ),
    _OP + "program_approvals": (
        "核准某专业点的已发布名单（修订版）。",
        "The published lists (revisions) that approve a program.",
    ),
    _OP + "publications_list": (
        "公布名单列表，最新在前；未登录只看到已发布的。",
        "The lists, newest first; without a staff token only published ones.",
    ),
    _OP + "publication_create": (
        "根据批次的核准条目起草一份名单。",
        "Draft a list from a round's approved entries.",
    ),
    _OP + "publication_latest": (
        "某一名单的最新发布修订版。",
        "The newest published revision of a list.",
    ),
    _OP + "publication_latest_file": (
        "跳转到最新修订版的永久下载地址。",
        "Redirects to the newest revision's permanent download.",
    ),
    _OP + "publication_csv": (
        "名单主表的 CSV，按公布格式（序号,学校,专业,…）。",
        "The list's main table as CSV in the published layout.",
    ),
    _OP + "publication_xlsx": (
        "名单主表及各附件的 XLSX，每个附件一个工作表。",
        "The list's main table and each annex as sheets of one XLSX.",
    ),
    _OP + "publication_annex": (
        "名单的一个附件（CSV 或 XLSX）。",
        "One annex of the list (CSV or XLSX).",
    ),
    _OP + "publication_get": (
        "一个修订版（永久地址）：按公布顺序编号的条目、校验和、修订历史。",
        "One revision at a permanent URL: numbered entries, checksum, revision history.",
    ),
    _OP + "publication_update": (
        "修改草稿的标题、文号、日期。",
        "Edit a draft's title, document number and date.",
    ),
    _OP + "publication_delete": (
        "删除草稿（已发布的名单不能删除）。",
        "Discard a draft (a published list cannot be deleted).",
    ),
    _OP + "publication_lines_replace": (
        "替换草稿的全部条目（按公布顺序）。",
        "Replace a draft's lines (in order of publication).",
    ),
    _OP + "publication_specialties_replace": (
        "替换草稿的附件2（特色专业）。",
        "Replace a draft's 附件2 (specialties).",
    ),
    _OP + "publication_projects_replace": (
        "替换中职草稿的附件2（示范专业及校企合作项目）。",
        "Replace a 中职 draft's 附件2 (model majors and partnership projects).",
    ),
    _OP + "publication_directions_replace": (
        "替换中职草稿的附件3（专业方向名称规范备案）。",
        "Replace a 中职 draft's 附件3 (registered direction names).",
    ),
    _OP + "publication_publish": (
        "发布名单：冻结内容并保存校验和。",
        "Publish the list: freeze it and store its checksum.",
    ),
    _OP + "publication_correct": (
        "勘误：为已发布名单新建一个修订草稿。",
        "A correction: a new draft revision of a published list.",
    ),
    # catalog
    _OP + "catalogs_list": (
        "专业目录的各个版本。",
        "The catalog editions.",
    ),
    _OP + "catalog_create": (
        "新建一个专业目录版本。",
        "Create a catalog edition.",
    ),
    _OP + "catalog_majors_list": (
        "某目录版本中的专业。",
        "The majors of a catalog edition.",
    ),
    _OP + "major_create": (
        "向目录版本添加一个专业。",
        "Add a major to a catalog edition.",
    ),
    _OP + "major_update": (
        "修改目录中某专业的名称、类别、层次或状态。",
        "Edit a major's name, category, levels or status.",
    ),
    _OP + "catalog_import": (
        "从文件导入一个目录版本的专业。",
        "Import a catalog edition's majors from a file.",
    ),
    _OP + "majors_search": (
        "专业检索：代码、中文名、拼音、首字母，按匹配程度排序。",
        "Search majors by code, Chinese name, pinyin or initials, ranked.",
    ),
    _OP + "crosswalk_list": (
        "进出该版本的新旧专业对照。",
        "The crosswalk lines into or out of this edition.",
    ),
    _OP + "crosswalk_create": (
        "添加一条新旧专业对照。",
        "Add a crosswalk line from an older edition's code.",
    ),
    _OP + "crosswalk_import": (
        "从文件导入新旧专业对照表。",
        "Import the crosswalk table from a file.",
    ),
    _OP + "catalog_adopt": (
        "启用新目录版本的方案（可附带对拆分专业的决定后执行）。",
        "The plan of adopting a new edition (applied with decisions on split codes).",
    ),
    _OP + "adoption_csv": (
        "启用方案的 CSV。",
        "The adoption plan as CSV.",
    ),
    _OP + "adoption_xlsx": (
        "启用方案的 XLSX。",
        "The adoption plan as XLSX.",
    ),
    # colleges
    _OP + "colleges_list": ("学校列表。", "The colleges."),
    _OP + "college_create": ("新建一所学校。", "Create a college."),
    _OP + "colleges_import": (
        "从文件导入学校（按代码新增或更新）。",
        "Import colleges from a file (insert or update by code).",
    ),
    _OP + "college_get": (
        "一所学校及其曾用名、升格历史。",
        "One college, with its former names and promotions.",
    ),
    _OP + "college_update": (
        "修改学校的名称、类型等信息。",
        "Edit a college's name, type and other fields.",
    ),
    # directions
    _OP + "directions_list": (
        "已备案的专业方向。",
        "The registered directions.",
    ),
    _OP + "direction_create": (
        "备案一个专业方向。",
        "Register a direction.",
    ),
    _OP + "directions_import": (
        "从文件导入专业方向备案（附件3）。",
        "Import registered directions from a file (附件3).",
    ),
    _OP + "direction_get": (
        "一条专业方向备案。",
        "One registered direction.",
    ),
    _OP + "direction_update": (
        "修改专业方向备案。",
        "Edit a registered direction.",
    ),
    _OP + "direction_delete": (
        "删除专业方向备案。",
        "Delete a registered direction.",
    ),
    # rounds
    _OP + "round_create": (
        "开启一个申报批次。",
        "Open a filing round.",
    ),
    _OP + "rounds_list": ("申报批次列表。", "The filing rounds."),
    _OP + "round_get": (
        "一个申报批次：时间窗口与适用的目录版本。",
        "One round: its window and the editions in force.",
    ),
    _OP + "round_update": (
        "修改批次的标题、时间窗口或目录版本。",
        "Edit a round's title, window or editions.",
    ),
    _OP + "round_close": (
        "提前关闭批次。",
        "Close the round before its deadline.",
    ),
    # filings
    _OP + "filings_validate": (
        "试校验申报条目，不保存任何数据；每条条目返回发现的问题。",
        "A dry run: checks every entry and answers its findings; stores nothing.",
    ),
    _OP + "filing_template": (
        "空白申报模板（公布名单格式）。",
        "The empty filing template (the published-list layout).",
    ),
    _OP + "filing_import": (
        "从 CSV/XLSX 文件创建申报草稿。",
        "Create a draft filing from a CSV/XLSX file.",
    ),
    _OP + "filing_create": (
        "创建申报草稿。",
        "Create a draft filing.",
    ),
    _OP + "filings_list": (
        "可见的申报及其条目、错误、警告数。",
        "The filings you may see, with their counts.",
    ),
    _OP + "filing_get": (
        "一份申报及其条目、问题与决定。",
        "One filing, with its entries, findings and decisions.",
    ),
    _OP + "filing_update": (
        "替换草稿的全部条目。",
        "Replace a draft filing's entries.",
    ),
    _OP + "filing_submit": (
        "提交申报（须在批次时间内且无错误）。",
        "Submit a filing (inside the round's window, without errors).",
    ),
    _OP + "filing_withdraw": (
        "撤回已提交、尚未审核的申报。",
        "Withdraw a submitted filing not yet reviewed.",
    ),
    # review
    _OP + "filing_entry_decide": (
        "对一条申报条目作出决定：核准、不予核准或报省审核。",
        "Decide one entry: approved, rejected or referred.",
    ),
    _OP + "filing_entries_decide": (
        "批量决定，全部成功或全部不写入。",
        "Several decisions at once, all or nothing.",
    ),
    _OP + "referrals_list": (
        "报省审核的目录外专业提议。",
        "Out-of-catalog proposals referred to the province.",
    ),
    _OP + "referral_get": (
        "一条报省审核的提议。",
        "One referral.",
    ),
    _OP + "referral_decide": (
        "省级对报审提议作出决定。",
        "The province's decision on a referral.",
    ),
    # access
    _OP + "me_get": (
        "调用者的角色与绑定。",
        "The caller's role and binding.",
    ),
    _OP + "tokens_list": (
        "本主管部门的令牌。",
        "The tokens of the caller's authority.",
    ),
    _OP + "token_create": (
        "为审核员、学校或管理员新建令牌。",
        "Create a token for a reviewer, college or admin.",
    ),
    _OP + "token_revoke": (
        "立即吊销令牌。",
        "Revoke a token at once.",
    ),
    _OP + "audit_list": (
        "只追加的审计日志，最新在前。",
        "The append-only audit log, newest first.",
    ),
    # changes
    _OP + "changes_list": (
        "变更流：按序号列出专业、学校、专业点和名单的每次变更。",
        "The change feed: every change of majors, colleges, programs and lists by sequence.",
    ),
    _OP + "changes_head": (
        "变更流当前最新的序号。",
        "The feed's newest sequence number.",
    ),
    # webhooks
    _OP + "webhook_create": (
        "登记一个 Webhook：变更流将推送到该地址。",
        "Register a webhook: the change feed is POSTed to its URL.",
    ),
    _OP + "webhooks_list": ("已登记的 Webhook。", "The webhooks."),
    _OP + "webhook_get": ("一个 Webhook。", "One webhook."),
    _OP + "webhook_update": (
        "修改 Webhook 的地址、实体或密钥，或重新启用。",
        "Change a webhook's URL, entities or secret, or re-enable it.",
    ),
    _OP + "webhook_delete": (
        "删除一个 Webhook。",
        "Delete a webhook.",
    ),
    _OP + "webhook_deliveries_list": (
        "投递日志，最新在前。",
        "The delivery log, newest first.",
    ),
    _OP + "webhook_delivery_redeliver": (
        "以新的投递编号重新投递同一批内容。",
        "Send the same items again under a new delivery id.",
    ),
    # ---- issue 27: descriptions of parameters and fields, by name (app/openapi.py applies
    # them to every parameter ``openapi.param.<name>`` and schema field ``openapi.field.<name>``
    # that has none of its own)
    "openapi.param.authority": ("主管部门代码，如 GZ-HRSS", "the authority's code, e.g. GZ-HRSS"),
    "openapi.param.category": ("专业类别，如 交通类", "the major's category, e.g. 交通类"),
    "openapi.param.city": ("所在城市，如 广州市", "the city, e.g. 广州市"),
    "openapi.param.code": ("代码（学校代码或专业代码）", "the code (of the college or major)"),
    "openapi.param.college": ("学校代码", "the college's code"),
    "openapi.param.delivery_id": ("投递编号（X-Registry-Delivery）", "the delivery's id"),
    "openapi.param.ext": ("文件格式：csv 或 xlsx", "the file format: csv or xlsx"),
    "openapi.param.fmt": ("文件格式：csv 或 xlsx", "the file format: csv or xlsx"),
    "openapi.param.format": ("json（默认）或 csv", "json (the default) or csv"),
    "openapi.param.index": ("条目序号（从 0 起）", "the entry's index (from 0)"),
    "openapi.param.intake": ("起点（招生对象）", "the intake"),
    "openapi.param.key": ("目录版本键，如 technician-2022", "the catalog edition's key"),
    "openapi.param.level": ("层次：中级、高级、预备技师", "the level: 中级, 高级, 预备技师"),
    "openapi.param.limit": (
        "每页条数（默认 50，最多 500）",
        "items per page (50 by default, 500 at most)",
    ),
    "openapi.param.major_code": (
        "专业代码（文本，保留前导零）",
        "the major's code (text, leading zeros kept)",
    ),
    "openapi.param.province": ("所在省份，如 广东省", "the province, e.g. 广东省"),
    "openapi.param.reason": ("理由", "the reason"),
    "openapi.param.series": ("名单系列，如 GZ-HRSS-2024", "the list's series, e.g. GZ-HRSS-2024"),
    "openapi.param.status": ("状态", "the status"),
    "openapi.param.by": (
        "按什么统计布点：major、category、province、city 或 college_type",
        "what the 布点 counts are grouped by: major, category, province, city or college_type",
    ),
    "openapi.param.system": (
        "体系：technician（技工院校）或 secondary（中职）",
        "the system: technician or secondary",
    ),
    "openapi.param.target_id": ("审计对象的编号或代码", "the audited object's id or code"),
    "openapi.param.target_type": (
        "审计对象的类型，如 program",
        "the audited object's type, e.g. program",
    ),
    "openapi.param.type": ("学校类型，如 技师学院", "the college's type, e.g. 技师学院"),
    "openapi.param.year": ("年份", "the year"),
    "openapi.field.status": ("状态", "the status"),
    "openapi.field.year": ("年份", "the year"),
    "openapi.field.id": ("编号", "the id"),
    "openapi.field.name": ("名称", "the name"),
    "openapi.field.category": ("专业类别", "the major's category"),
    "openapi.field.items": ("本页的条目", "this page's items"),
    "openapi.field.college": (
        "学校名称（或代码，视上下文）",
        "the college (its name, or code where so named)",
    ),
    "openapi.field.title": ("标题", "the title"),
    "openapi.field.next": (
        "下一页的游标；最后一页为 null",
        "the next page's cursor; null on the last",
    ),
    "openapi.field.intake": ("起点（招生对象）", "the intake"),
    "openapi.field.college_code": ("学校代码", "the college's code"),
    "openapi.field.level": ("层次：中级、高级、预备技师；中职为 null", "the level; null for 中职"),
    "openapi.field.authority": ("主管部门代码", "the authority's code"),
    "openapi.field.code": ("代码（文本，保留前导零）", "the code (text, leading zeros kept)"),
    "openapi.field.major_code": (
        "专业代码（文本，保留前导零）",
        "the major's code (text, leading zeros kept)",
    ),
    "openapi.field.length_years": ("学制（年）", "the length of study in years"),
    "openapi.field.reason": ("理由", "the reason"),
    "openapi.field.major_name": ("专业名称", "the major's name"),
    "openapi.field.system": (
        "体系：technician（技工院校）或 secondary（中职）",
        "the system: technician or secondary",
    ),
    "openapi.field.created_at": (
        "创建时间（RFC 3339，UTC，以 Z 结尾）",
        "when it was created (RFC 3339, UTC, Z)",
    ),
    "openapi.field.entries": ("条目", "the entries"),
    "openapi.field.edition": ("目录版本键", "the catalog edition's key"),
    "openapi.field.document_number": ("文号", "the document number"),
    "openapi.field.key": ("键", "the key"),
    "openapi.field.province": ("所在省份", "the province"),
    "openapi.field.type": ("类型", "the type"),
    "openapi.field.published_on": ("发布日期（YYYY-MM-DD）", "the publication date (YYYY-MM-DD)"),
    "openapi.field.relation": ("新旧专业的对应关系", "how the old and new majors relate"),
    "openapi.field.role": (
        "角色：admin、reviewer 或 college",
        "the role: admin, reviewer or college",
    ),
    "openapi.field.program_id": ("专业点编号", "the program's id"),
    "openapi.field.old_code": ("原专业代码", "the old major code"),
    "openapi.field.note": ("备注", "a note"),
    "openapi.field.remark": ("备注", "the remark"),
    "openapi.field.levels": ("可设层次", "the levels it may be offered at"),
    "openapi.field.since_year": ("首次批准年份", "the year it was first approved"),
    "openapi.field.at": ("时间（RFC 3339，UTC，以 Z 结尾）", "when (RFC 3339, UTC, ending Z)"),
    "openapi.field.op": (
        "操作：created、updated 或 deleted",
        "the operation: created, updated or deleted",
    ),
    "openapi.field.entity": (
        "实体：program、college、major 或 publication",
        "the entity: program, college, major or publication",
    ),
    "openapi.field.data": (
        "变更后的公开状态；删除时为 null",
        "the public state after the change; null when deleted",
    ),
    "openapi.field.ownership": ("办学性质：公办或民办", "ownership: 公办 or 民办"),
    "openapi.field.city": ("所在城市", "the city"),
    "openapi.field.old_edition": ("原目录版本键", "the old catalog edition's key"),
    "openapi.field.old_name": ("原名称", "the old name"),
    "openapi.field.decision": (
        "决定：approved、rejected 或 referred",
        "the decision: approved, rejected or referred",
    ),
    "openapi.field.seq": ("变更序号", "the change's seq"),
    "openapi.field.kind": ("类型", "the kind"),
    "openapi.field.decided_at": (
        "决定时间（RFC 3339，UTC）",
        "when it was decided (RFC 3339, UTC)",
    ),
    "openapi.field.class_name": ("专业小类", "the class of majors"),
    "openapi.field.added_year": ("列入目录的年份", "the year it was added to the catalog"),
    "openapi.field.series": ("名单系列", "the list's series"),
    "openapi.field.revision": ("版本号（第几版）", "the revision number"),
    "openapi.field.corrects": ("所勘误的版本编号", "the id of the revision it corrects"),
    "openapi.field.correction_reason": ("勘误理由", "why it was corrected"),
    "openapi.field.line_count": ("行数", "the number of lines"),
    "openapi.field.new_code": ("新专业代码", "the new major code"),
    "openapi.field.normalised_name": ("规范名称", "the normalised name"),
    "openapi.field.partial": (
        "是否为节选（非完整目录）",
        "whether it is an extract, not the whole catalog",
    ),
    "openapi.field.index": ("序号（从 0 起）", "the index (from 0)"),
    "openapi.field.errors": ("错误", "the errors"),
    "openapi.field.warnings": ("警告", "the warnings"),
    "openapi.field.message": (
        "说明（中文，或按 Accept-Language 为英文）",
        "the message (Chinese, or English per Accept-Language)",
    ),
    "openapi.field.error": ("错误名称", "the error's name"),
    "openapi.field.detail": ("错误详情", "the error's detail"),
    "openapi.field.last_seq": ("下次以 since=<last_seq> 继续", "ask since=<last_seq> next"),
    "openapi.field.url": ("地址", "the URL"),
    "openapi.field.rows": ("行数", "the number of rows"),
    "openapi.field.row": ("表格行号（表头为第 1 行）", "the spreadsheet row (the header is row 1)"),
    "openapi.field.count": ("数量", "the count"),
    "openapi.field.inserted": ("新增的条数", "how many were inserted"),
    "openapi.field.updated": ("更新的条数", "how many were updated"),
    "openapi.field.unchanged": ("未变的条数", "how many were unchanged"),
    "openapi.field.action": ("操作名称，如 program.import", "the action, e.g. program.import"),
    "openapi.field.active": ("是否有效", "whether it is active"),
    "openapi.field.actor": ("操作者", "who did it"),
    "openapi.field.added": ("新增的条目", "what was added"),
    "openapi.field.after": ("修改后的值", "the values after"),
    "openapi.field.applicant_college": ("申报学校", "the applying college"),
    "openapi.field.applied": ("是否已执行", "whether it was applied"),
    "openapi.field.apply": ("true：执行；false：仅预览", "true: apply; false: preview only"),
    "openapi.field.attempts": ("每次投递尝试", "every attempt"),
    "openapi.field.authority_name": ("主管部门名称", "the authority's name"),
    "openapi.field.becomes": ("停用后的状态", "the status it becomes"),
    "openapi.field.before": ("修改前的值", "the values before"),
    "openapi.field.both": ("两份名单均有（及其差异）", "in both lists (and how they differ)"),
    "openapi.field.by_category": ("按专业类别统计", "counts by category"),
    "openapi.field.by_college": ("按学校统计", "counts by college"),
    "openapi.field.by_intake": ("按起点统计", "counts by intake"),
    "openapi.field.by_level": ("按层次统计", "counts by level"),
    "openapi.field.by_year": ("按年份统计", "counts by year"),
    "openapi.field.candidates": ("可选的新专业", "the candidate new majors"),
    "openapi.field.category_code": ("专业类别代码", "the category's code"),
    "openapi.field.changed": ("修改的条目", "what changed"),
    "openapi.field.changed_by": ("导致代码变化的事件", "what changed the code"),
    "openapi.field.checksum": (
        "CSV 下载的 SHA-256（十六进制）",
        "the SHA-256 (hex) of the CSV download",
    ),
    "openapi.field.closes_at": ("截止时间（RFC 3339，UTC）", "when it closes (RFC 3339, UTC)"),
    "openapi.field.college_name": ("学校名称", "the college's name"),
    "openapi.field.collisions": ("冲突", "the collisions"),
    "openapi.field.corrected_by": ("勘误后版本的编号", "the id of the revision correcting it"),
    "openapi.field.counts": ("各状态的条目数", "the entries per state"),
    "openapi.field.created_by": ("创建者", "who created it"),
    "openapi.field.csv": ("CSV 下载地址", "the CSV download's URL"),
    "openapi.field.cursor": ("已交给投递的最后序号", "the last seq handed to a delivery"),
    "openapi.field.decided": ("已作出的决定", "the decision made"),
    "openapi.field.decision_reason": (
        "决定理由（学校可见）",
        "the decision's reason (the college sees it)",
    ),
    "openapi.field.decisions": ("决定", "the decisions"),
    "openapi.field.declared_kind": ("申报的类型", "the kind declared"),
    "openapi.field.delivered_at": (
        "送达时间（RFC 3339，UTC）",
        "when it was delivered (RFC 3339, UTC)",
    ),
    "openapi.field.direction": ("专业方向", "the direction"),
    "openapi.field.directions": ("专业方向", "the directions"),
    "openapi.field.disabled_reason": ("停用原因", "why it was disabled"),
    "openapi.field.duration_ms": ("耗时（毫秒）", "how long it took (ms)"),
    "openapi.field.editions": ("适用的目录版本", "the catalog editions in force"),
    "openapi.field.entities": ("订阅的实体", "the entities subscribed"),
    "openapi.field.entry_count": ("条目数", "the number of entries"),
    "openapi.field.entry_index": ("条目序号（从 0 起）", "the entry's index (from 0)"),
    "openapi.field.expires_at": ("过期时间（RFC 3339，UTC）", "when it expires (RFC 3339, UTC)"),
    "openapi.field.failures": ("连续失败次数", "consecutive failures"),
    "openapi.field.field": ("字段", "the field"),
    "openapi.field.fields": ("变化的字段", "the fields that changed"),
    "openapi.field.filing": ("申报编号", "the filing's id"),
    "openapi.field.findings": ("校验发现", "the findings"),
    "openapi.field.first_seq": ("首个序号", "the first seq"),
    "openapi.field.former_codes": ("曾用代码", "former codes"),
    "openapi.field.former_name": ("曾用名", "the former name"),
    "openapi.field.former_names": ("曾用名及其截止时间", "former names and until when"),
    "openapi.field.from": ("起点（原版本或原名单）", "what it is from (the old edition or list)"),
    "openapi.field.from_code": ("原专业代码", "the old major code"),
    "openapi.field.from_edition": ("原目录版本", "the old edition"),
    "openapi.field.from_name": ("原专业名称", "the old major name"),
    "openapi.field.header": ("表头", "the header"),
    "openapi.field.hint": (
        "令牌的前几位（用于辨认）",
        "the token's first characters (to recognise it)",
    ),
    "openapi.field.history": ("处理记录", "the history"),
    "openapi.field.item_count": ("条目数", "the number of items"),
    "openapi.field.keep": ("保留的一方", "which one is kept"),
    "openapi.field.length": ("学制", "the length of study"),
    "openapi.field.lines": ("名单各行", "the list's lines"),
    "openapi.field.links": ("下载地址", "the download links"),
    "openapi.field.majors": ("专业数", "the number of majors"),
    "openapi.field.match": ("匹配方式", "how it matched"),
    "openapi.field.moved": ("迁移的专业点", "the programs moved"),
    "openapi.field.needs_decision": ("需要决定的专业点", "the programs needing a decision"),
    "openapi.field.new_name": ("新名称", "the new name"),
    "openapi.field.next_attempt_at": (
        "下次尝试时间（RFC 3339，UTC）",
        "the next attempt (RFC 3339, UTC)",
    ),
    "openapi.field.only_from": ("仅在原名单中", "only in the first list"),
    "openapi.field.only_to": ("仅在新名单中", "only in the second list"),
    "openapi.field.open": ("是否在申报时间内", "whether it is open"),
    "openapi.field.opens_at": ("开始时间（RFC 3339，UTC）", "when it opens (RFC 3339, UTC)"),
    "openapi.field.original_name": ("原名称", "the original name"),
    "openapi.field.project": ("校企合作项目名称", "the project's name"),
    "openapi.field.projects": ("校企合作项目", "the projects"),
    "openapi.field.proposed_name": ("提议的名称", "the proposed name"),
    "openapi.field.publications": ("名单数", "the number of lists"),
    "openapi.field.published_at": (
        "发布时间（RFC 3339，UTC，以 Z 结尾）",
        "when it was published (RFC 3339, UTC, Z)",
    ),
    "openapi.field.redelivery_of": ("重新投递的原投递编号", "the delivery it redelivers"),
    "openapi.field.ref": (
        "名单的引用（编号或 year:YYYY）",
        "the list's reference (id or year:YYYY)",
    ),
    "openapi.field.referral": ("报省审核的提议", "the referral"),
    "openapi.field.referral_status": ("报省审核的状态", "the referral's state"),
    "openapi.field.removed": ("删除的条目", "what was removed"),
    "openapi.field.retire": ("停用的一方", "which one is retired"),
    "openapi.field.retry_at": ("重试时间（RFC 3339，UTC）", "when it is retried (RFC 3339, UTC)"),
    "openapi.field.revoked_at": (
        "吊销时间（RFC 3339，UTC）",
        "when it was revoked (RFC 3339, UTC)",
    ),
    "openapi.field.round": ("申报批次编号", "the round's id"),
    "openapi.field.school": ("学校名称", "the school's name"),
    "openapi.field.score": ("匹配得分", "the match score"),
    "openapi.field.secret": (
        "签名密钥（≥ 16 字符；whsec_<base64> 亦可）",
        "the signing secret (≥ 16 chars; whsec_<base64> too)",
    ),
    "openapi.field.severity": ("严重程度：error 或 warning", "the severity: error or warning"),
    "openapi.field.sheet": ("工作表名称", "the sheet's name"),
    "openapi.field.source": ("来源", "the source"),
    "openapi.field.specialties": ("特色专业", "the specialties"),
    "openapi.field.status_code": ("HTTP 状态码", "the HTTP status"),
    "openapi.field.submitted_at": (
        "提交时间（RFC 3339，UTC）",
        "when it was submitted (RFC 3339, UTC)",
    ),
    "openapi.field.suggestion": ("建议的改法", "the suggested fix"),
    "openapi.field.summary": ("摘要", "the summary"),
    "openapi.field.superseded_by": ("替代它的目录版本", "the edition superseding it"),
    "openapi.field.superseded_on": ("被替代的日期", "the day it is superseded"),
    "openapi.field.superuser": ("是否为超级管理员", "whether it is the superuser"),
    "openapi.field.supplements": ("所补充的目录版本", "the edition it supplements"),
    "openapi.field.target_id": ("对象的编号或代码", "the object's id or code"),
    "openapi.field.target_type": ("对象的类型", "the object's type"),
    "openapi.field.to": ("终点（新版本或新名单）", "what it is to (the new edition or list)"),
    "openapi.field.to_code": ("新专业代码", "the new major code"),
    "openapi.field.to_edition": ("新目录版本", "the new edition"),
    "openapi.field.to_name": ("新专业名称", "the new major name"),
    "openapi.field.token_id": ("令牌编号", "the token's id"),
    "openapi.field.total": ("合计", "the total"),
    "openapi.field.undecided": ("未决定的条目数", "entries not decided yet"),
    "openapi.field.until": (
        "截止时间（RFC 3339，UTC，以 Z 结尾）",
        "until when (RFC 3339, UTC, Z)",
    ),
    "openapi.field.updated_at": (
        "更新时间（RFC 3339，UTC）",
        "when it was updated (RFC 3339, UTC)",
    ),
    "openapi.field.version": ("版本号（乐观锁）", "the version (optimistic locking)"),
    "openapi.field.withdrawn": ("撤销的专业点", "the programs withdrawn"),
    "openapi.field.xlsx": ("XLSX 下载地址", "the XLSX download's URL"),
    # ---- issue 23: 公示, objections, the round's summary
    _OP + "announce_publication_api_v1_publications__publication_id__announce_post": (
        "公示：为草稿设定公示期（本局时区的日期）和异议联系方式，名单即公开为“公示中”；再次公示则替换公示期。",
        "Announce a draft (公示) for a period (the bureau's dates) with a contact; it becomes "
        "public as announced. Again: replaces the period.",
    ),
    _OP + "raise_objection_api_v1_publications__publication_id__objections_post": (
        "记录对某一条（序号）或整份名单的异议（管理员或评审员）。",
        "Record an objection to an entry (seq) or the whole list (admins and reviewers).",
    ),
    _OP
    + "resolve_objection_api_v1_publications__publication_id__objections__objection_id__patch": (
        "处理异议：驳回（说明理由）或成立（drop 为 true 时删除该条）。",
        "Handle an objection: dismissed (with the reason) or upheld (drop: true removes the "
        "entry).",
    ),
    _OP + "round_summary_api_v1_rounds__round_id__summary_get": (
        "本批次情况：院校、申报、申报专业、通过、不通过、报省级评审及结果、撤回、未决定，按院校分列，"
        "以及据此生成的通知首段。",
        "The round in figures per college, and the notice's opening sentence generated from them.",
    ),
    # ---- issue 24: program lifecycle
    _OP + "program_history_api_v1_programs__program_id__history_get": (
        "专业历史：批准、公布生效、停招、复开、撤销、改名、转入其他学校，按时间先后。",
        "A program's history: approved, activated, suspended, reactivated, withdrawn, renamed, "
        "moved — oldest first.",
    ),
    _OP + "merge_college_api_v1_colleges__code__merge_post": (
        "学校并入另一所学校：专业转入，对方已开设的专业撤销；学校状态为已合并。",
        "Merge a college into another: its programs move, those the other runs are withdrawn.",
    ),
    _OP + "close_college_api_v1_colleges__code__close_post": (
        "撤销（停办）学校：其专业全部撤销；学校状态为已停办。",
        "Close a college: its programs are withdrawn.",
    ),
    _OP + "preview_college_end_api_v1_colleges__code__merge_preview_get": (
        "预览合并或撤销学校将转入和撤销的专业，不做任何更改。",
        "Preview what a merge or closure would move and withdraw; changes nothing.",
    ),
    _OP + "program_statistics_api_v1_statistics_programs_get": (
        "专业布点：按专业、类别、省份、城市或学校类型统计学校数和专业点数。",
        "Coverage (布点): colleges and programs per major, category, province, city or type.",
    ),
    _OP + "program_statistics_file_api_v1_statistics_programs__ext__get": (
        "专业布点的 CSV 或 XLSX 下载。",
        "Coverage (布点) as CSV or XLSX.",
    ),
    # ---- fields of issues 23 and 24 (source of truth, lifecycle), described by name
    "openapi.field.approved": ("通过（批准）的条目数", "entries approved"),
    "openapi.field.closures": ("停招、撤销的条数", "suspensions and withdrawals"),
    "openapi.field.colleges": ("院校数", "number of colleges"),
    "openapi.field.contact": ("公示期间受理异议的联系方式", "where objections go"),
    "openapi.field.decided_by": ("作出决定的人", "who decided"),
    "openapi.field.effective_year": ("生效年份（停招、撤销从该年起）", "the year it takes effect"),
    "openapi.field.end_reason": ("停办或合并的原因", "why the college closed or merged"),
    "openapi.field.entry_id": (
        "所依据的申报条目编号（手工添加的行为空）",
        "the filing entry it traces to (null for a line added by hand)",
    ),
    "openapi.field.event": (
        "事件：approved、activated、suspended、reactivated、withdrawn、renamed、moved",
        "the event: approved, activated, suspended, reactivated, withdrawn, renamed, moved",
    ),
    "openapi.field.filing_id": ("申报编号", "the filing's id"),
    "openapi.field.filings": ("申报数", "number of filings"),
    "openapi.field.into": ("并入的院校代码", "the code of the college it merged into"),
    "openapi.field.majors_approved": ("通过的专业数", "majors approved"),
    "openapi.field.programs": ("专业设置数", "number of programs"),
    "openapi.field.publication_id": ("名单编号", "the list's id"),
    "openapi.field.referred_from_name": ("报送的市级部门", "the city authority that referred it"),
    "openapi.field.referred_pending": ("报省待定的条目数", "referrals awaiting the province"),
    "openapi.field.referred_rejected": ("省厅不予通过的条目数", "referrals the province rejected"),
    "openapi.field.rejected": ("不予通过的条目数", "entries rejected"),
    "openapi.field.resolution": ("处理意见", "how it was handled"),
    "openapi.field.resolved_at": ("处理时间", "when it was handled"),
    "openapi.field.resolved_by": ("处理人", "who handled it"),
    "openapi.field.round_id": ("申报批次编号", "the filing round's id"),
    "openapi.field.text": ("异议内容", "the objection's text"),
}
