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
    _OP + "list_programs_api_v1_programs_get": (
        "按学校、专业、类别、层次、起点、状态、省份、年份筛选专业点，按键集分页。",
        "Programs filtered by college, major, category, level, intake, status, province, year; "
        "keyset paging.",
    ),
    _OP + "create_program_api_v1_programs_post": (
        "登记一个专业点（学校、专业代码、层次、起点、学制、开设年份）。",
        "Record a program (college, major code, level, intake, length, first year).",
    ),
    _OP + "import_programs_file_api_v1_programs_import_post": (
        "从 CSV/XLSX 文件批量导入专业点，全部成功或全部不写入。",
        "Import programs from a CSV/XLSX file, all or nothing.",
    ),
    _OP + "get_program_api_v1_programs__program_id__get": (
        "单个专业点及其曾用代码。",
        "One program, with its former codes.",
    ),
    _OP + "update_program_api_v1_programs__program_id__patch": (
        "修改专业点的学制、状态等字段。",
        "Edit a program's length, status and other fields.",
    ),
    _OP + "programs_csv_api_v1_programs_csv_get": (
        "按与专业点列表相同的筛选条件导出 CSV（流式）。",
        "The programs matching the list's filters as CSV (streamed).",
    ),
    _OP + "programs_xlsx_api_v1_programs_xlsx_get": (
        "按与专业点列表相同的筛选条件导出 XLSX。",
        "The programs matching the list's filters as XLSX.",
    ),
    # publications
    _OP + "diff_publications_api_v1_publications_diff_get": (
        "两个年份或两个修订版之间的差异：新增、删除、变更的条目。",
        "The difference between two years or revisions: lines added, removed, changed.",
    ),
    _OP + "diff_publications_csv_api_v1_publications_diff_csv_get": (
        "名单差异的 CSV 下载。",
        "The difference between two lists as CSV.",
    ),
    _OP + "diff_publications_xlsx_api_v1_publications_diff_xlsx_get": (
        "名单差异的 XLSX 下载。",
        "The difference between two lists as XLSX.",
    ),
    _OP + "approval_statistics_api_v1_statistics_approvals_get": (
        "核准统计：按年份、类别、层次、起点、学校汇总已发布名单。",
        "Approval statistics: published lines by year, category, level, intake, college.",
    ),
    _OP + "program_approvals_api_v1_programs__program_id__approvals_get": (
        "核准某专业点的已发布名单（修订版）。",
        "The published lists (revisions) that approve a program.",
    ),
    _OP + "list_publications_api_v1_publications_get": (
        "公布名单列表，最新在前；未登录只看到已发布的。",
        "The lists, newest first; without a staff token only published ones.",
    ),
    _OP + "create_publication_api_v1_publications_post": (
        "根据批次的核准条目起草一份名单。",
        "Draft a list from a round's approved entries.",
    ),
    _OP + "latest_publication_api_v1_publications__series__latest_get": (
        "某一名单的最新发布修订版。",
        "The newest published revision of a list.",
    ),
    _OP + "latest_publication_file_api_v1_publications__series__latest__ext__get": (
        "跳转到最新修订版的永久下载地址。",
        "Redirects to the newest revision's permanent download.",
    ),
    _OP + "publication_csv_api_v1_publications__publication_id__csv_get": (
        "名单主表的 CSV，按公布格式（序号,学校,专业,…）。",
        "The list's main table as CSV in the published layout.",
    ),
    _OP + "publication_xlsx_api_v1_publications__publication_id__xlsx_get": (
        "名单主表及各附件的 XLSX，每个附件一个工作表。",
        "The list's main table and each annex as sheets of one XLSX.",
    ),
    _OP + "publication_annex_api_v1_publications__publication_id___annex___ext__get": (
        "名单的一个附件（CSV 或 XLSX）。",
        "One annex of the list (CSV or XLSX).",
    ),
    _OP + "get_publication_api_v1_publications__publication_id__get": (
        "一个修订版（永久地址）：按公布顺序编号的条目、校验和、修订历史。",
        "One revision at a permanent URL: numbered entries, checksum, revision history.",
    ),
    _OP + "update_publication_api_v1_publications__publication_id__patch": (
        "修改草稿的标题、文号、日期。",
        "Edit a draft's title, document number and date.",
    ),
    _OP + "delete_publication_api_v1_publications__publication_id__delete": (
        "删除草稿（已发布的名单不能删除）。",
        "Discard a draft (a published list cannot be deleted).",
    ),
    _OP + "replace_lines_api_v1_publications__publication_id__lines_put": (
        "替换草稿的全部条目（按公布顺序）。",
        "Replace a draft's lines (in order of publication).",
    ),
    _OP + "replace_specialties_api_v1_publications__publication_id__specialties_put": (
        "替换草稿的附件2（特色专业）。",
        "Replace a draft's 附件2 (specialties).",
    ),
    _OP + "replace_projects_api_v1_publications__publication_id__projects_put": (
        "替换中职草稿的附件2（示范专业及校企合作项目）。",
        "Replace a 中职 draft's 附件2 (model majors and partnership projects).",
    ),
    _OP + "replace_directions_api_v1_publications__publication_id__directions_put": (
        "替换中职草稿的附件3（专业方向名称规范备案）。",
        "Replace a 中职 draft's 附件3 (registered direction names).",
    ),
    _OP + "publish_publication_api_v1_publications__publication_id__publish_post": (
        "发布名单：冻结内容并保存校验和。",
        "Publish the list: freeze it and store its checksum.",
    ),
    _OP + "correct_publication_api_v1_publications__publication_id__corrections_post": (
        "勘误：为已发布名单新建一个修订草稿。",
        "A correction: a new draft revision of a published list.",
    ),
    # catalog
    _OP + "list_catalogs_api_v1_catalogs_get": (
        "专业目录的各个版本。",
        "The catalog editions.",
    ),
    _OP + "create_catalog_api_v1_catalogs_post": (
        "新建一个专业目录版本。",
        "Create a catalog edition.",
    ),
    _OP + "list_catalog_majors_api_v1_catalogs__key__majors_get": (
        "某目录版本中的专业。",
        "The majors of a catalog edition.",
    ),
    _OP + "create_major_api_v1_catalogs__key__majors_post": (
        "向目录版本添加一个专业。",
        "Add a major to a catalog edition.",
    ),
    _OP + "update_major_api_v1_catalogs__key__majors__code__patch": (
        "修改目录中某专业的名称、类别、层次或状态。",
        "Edit a major's name, category, levels or status.",
    ),
    _OP + "import_catalog_file_api_v1_catalogs__key__import_post": (
        "从文件导入一个目录版本的专业。",
        "Import a catalog edition's majors from a file.",
    ),
    _OP + "search_majors_api_v1_majors_get": (
        "专业检索：代码、中文名、拼音、首字母，按匹配程度排序。",
        "Search majors by code, Chinese name, pinyin or initials, ranked.",
    ),
    _OP + "list_crosswalk_api_v1_catalogs__key__crosswalk_get": (
        "进出该版本的新旧专业对照。",
        "The crosswalk lines into or out of this edition.",
    ),
    _OP + "create_crosswalk_api_v1_catalogs__key__crosswalk_post": (
        "添加一条新旧专业对照。",
        "Add a crosswalk line from an older edition's code.",
    ),
    _OP + "import_crosswalk_file_api_v1_catalogs__key__crosswalk_import_post": (
        "从文件导入新旧专业对照表。",
        "Import the crosswalk table from a file.",
    ),
    _OP + "adopt_api_v1_catalogs__key__adoption_post": (
        "启用新目录版本的方案（可附带对拆分专业的决定后执行）。",
        "The plan of adopting a new edition (applied with decisions on split codes).",
    ),
    _OP + "adoption_csv_api_v1_catalogs__key__adoption_csv_get": (
        "启用方案的 CSV。",
        "The adoption plan as CSV.",
    ),
    _OP + "adoption_xlsx_api_v1_catalogs__key__adoption_xlsx_get": (
        "启用方案的 XLSX。",
        "The adoption plan as XLSX.",
    ),
    # colleges
    _OP + "list_colleges_api_v1_colleges_get": ("学校列表。", "The colleges."),
    _OP + "create_college_api_v1_colleges_post": ("新建一所学校。", "Create a college."),
    _OP + "import_colleges_file_api_v1_colleges_import_post": (
        "从文件导入学校（按代码新增或更新）。",
        "Import colleges from a file (insert or update by code).",
    ),
    _OP + "get_college_api_v1_colleges__code__get": (
        "一所学校及其曾用名、升格历史。",
        "One college, with its former names and promotions.",
    ),
    _OP + "update_college_api_v1_colleges__code__patch": (
        "修改学校的名称、类型等信息。",
        "Edit a college's name, type and other fields.",
    ),
    # directions
    _OP + "list_directions_api_v1_directions_get": (
        "已备案的专业方向。",
        "The registered directions.",
    ),
    _OP + "create_direction_api_v1_directions_post": (
        "备案一个专业方向。",
        "Register a direction.",
    ),
    _OP + "import_directions_file_api_v1_directions_import_post": (
        "从文件导入专业方向备案（附件3）。",
        "Import registered directions from a file (附件3).",
    ),
    _OP + "get_direction_api_v1_directions__direction_id__get": (
        "一条专业方向备案。",
        "One registered direction.",
    ),
    _OP + "update_direction_api_v1_directions__direction_id__patch": (
        "修改专业方向备案。",
        "Edit a registered direction.",
    ),
    _OP + "delete_direction_api_v1_directions__direction_id__delete": (
        "删除专业方向备案。",
        "Delete a registered direction.",
    ),
    # rounds
    _OP + "create_round_api_v1_rounds_post": (
        "开启一个申报批次。",
        "Open a filing round.",
    ),
    _OP + "list_rounds_api_v1_rounds_get": ("申报批次列表。", "The filing rounds."),
    _OP + "get_round_api_v1_rounds__round_id__get": (
        "一个申报批次：时间窗口与适用的目录版本。",
        "One round: its window and the editions in force.",
    ),
    _OP + "update_round_api_v1_rounds__round_id__patch": (
        "修改批次的标题、时间窗口或目录版本。",
        "Edit a round's title, window or editions.",
    ),
    _OP + "close_round_api_v1_rounds__round_id__close_post": (
        "提前关闭批次。",
        "Close the round before its deadline.",
    ),
    # filings
    _OP + "validate_api_v1_filings_validate_post": (
        "试校验申报条目，不保存任何数据；每条条目返回发现的问题。",
        "A dry run: checks every entry and answers its findings; stores nothing.",
    ),
    _OP + "template_api_v1_filings_template__fmt__get": (
        "空白申报模板（公布名单格式）。",
        "The empty filing template (the published-list layout).",
    ),
    _OP + "import_filing_api_v1_filings_import_post": (
        "从 CSV/XLSX 文件创建申报草稿。",
        "Create a draft filing from a CSV/XLSX file.",
    ),
    _OP + "create_filing_api_v1_filings_post": (
        "创建申报草稿。",
        "Create a draft filing.",
    ),
    _OP + "list_filings_api_v1_filings_get": (
        "可见的申报及其条目、错误、警告数。",
        "The filings you may see, with their counts.",
    ),
    _OP + "get_filing_api_v1_filings__filing_id__get": (
        "一份申报及其条目、问题与决定。",
        "One filing, with its entries, findings and decisions.",
    ),
    _OP + "update_filing_api_v1_filings__filing_id__put": (
        "替换草稿的全部条目。",
        "Replace a draft filing's entries.",
    ),
    _OP + "submit_filing_api_v1_filings__filing_id__submit_post": (
        "提交申报（须在批次时间内且无错误）。",
        "Submit a filing (inside the round's window, without errors).",
    ),
    _OP + "withdraw_filing_api_v1_filings__filing_id__withdraw_post": (
        "撤回已提交、尚未审核的申报。",
        "Withdraw a submitted filing not yet reviewed.",
    ),
    # review
    _OP + "decide_entry_api_v1_filings__filing_id__entries__index__decision_post": (
        "对一条申报条目作出决定：核准、不予核准或报省审核。",
        "Decide one entry: approved, rejected or referred.",
    ),
    _OP + "decide_entries_api_v1_filings__filing_id__decisions_post": (
        "批量决定，全部成功或全部不写入。",
        "Several decisions at once, all or nothing.",
    ),
    _OP + "list_referrals_api_v1_referrals_get": (
        "报省审核的目录外专业提议。",
        "Out-of-catalog proposals referred to the province.",
    ),
    _OP + "get_referral_api_v1_referrals__referral_id__get": (
        "一条报省审核的提议。",
        "One referral.",
    ),
    _OP + "decide_referral_api_v1_referrals__referral_id__decision_post": (
        "省级对报审提议作出决定。",
        "The province's decision on a referral.",
    ),
    # access
    _OP + "who_am_i_api_v1_me_get": (
        "调用者的角色与绑定。",
        "The caller's role and binding.",
    ),
    _OP + "list_tokens_api_v1_tokens_get": (
        "本主管部门的令牌。",
        "The tokens of the caller's authority.",
    ),
    _OP + "create_token_api_v1_tokens_post": (
        "为审核员、学校或管理员新建令牌。",
        "Create a token for a reviewer, college or admin.",
    ),
    _OP + "revoke_token_api_v1_tokens__token_id__delete": (
        "立即吊销令牌。",
        "Revoke a token at once.",
    ),
    _OP + "list_audit_api_v1_audit_get": (
        "只追加的审计日志，最新在前。",
        "The append-only audit log, newest first.",
    ),
    # changes
    _OP + "list_changes_api_v1_changes_get": (
        "变更流：按序号列出专业、学校、专业点和名单的每次变更。",
        "The change feed: every change of majors, colleges, programs and lists by sequence.",
    ),
    _OP + "changes_head_api_v1_changes_head_get": (
        "变更流当前最新的序号。",
        "The feed's newest sequence number.",
    ),
    # webhooks
    _OP + "create_webhook_api_v1_webhooks_post": (
        "登记一个 Webhook：变更流将推送到该地址。",
        "Register a webhook: the change feed is POSTed to its URL.",
    ),
    _OP + "list_webhooks_api_v1_webhooks_get": ("已登记的 Webhook。", "The webhooks."),
    _OP + "get_webhook_api_v1_webhooks__webhook_id__get": ("一个 Webhook。", "One webhook."),
    _OP + "update_webhook_api_v1_webhooks__webhook_id__patch": (
        "修改 Webhook 的地址、实体或密钥，或重新启用。",
        "Change a webhook's URL, entities or secret, or re-enable it.",
    ),
    _OP + "delete_webhook_api_v1_webhooks__webhook_id__delete": (
        "删除一个 Webhook。",
        "Delete a webhook.",
    ),
    _OP + "list_deliveries_api_v1_webhooks__webhook_id__deliveries_get": (
        "投递日志，最新在前。",
        "The delivery log, newest first.",
    ),
    _OP + "redeliver_api_v1_webhooks__webhook_id__deliveries__delivery_id__redeliver_post": (
        "以新的投递编号重新投递同一批内容。",
        "Send the same items again under a new delivery id.",
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
}
