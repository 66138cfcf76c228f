"""Error names (the ``error`` of ``{"error", "detail"}``) and their messages.

An error's own name is its general message (what a client sees when nothing more specific is
said); ``name.variant`` keys are the particular wordings raise sites choose with ``msg=``."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- the error family's defaults and the framework's errors -----------------------
    "bad_request": ("请求有误", "bad request"),
    "not_found": ("未找到", "not found"),
    "not_found.path": ("没有这个地址", "no such address"),
    "conflict": ("与已有数据冲突", "conflicts with existing data"),
    "conflict.integrity": ("与已有数据冲突：{reason}", "conflicts with existing data: {reason}"),
    "conflict.retry": (
        "与刚刚保存的数据冲突，请刷新后重试",
        "the change conflicts with data saved a moment ago; reload and try again",
    ),
    # ---- safe defaults (app/middleware/, app/apidocs.py, app/fields.py) --------------------
    "internal_error": (
        "服务器内部错误，已记录。请把请求编号告知管理员。",
        "Internal server error; it was logged. Give the request id to the administrator.",
    ),
    "cors_forbidden": ("此来源不允许跨域访问", "this origin may not call the API from a browser"),
    "not_ready": ("数据库暂时无法访问", "the database does not answer"),
    "too_many_failures": (
        "身份验证失败次数过多，请 {seconds} 秒后再试",
        "too many failed authentications; try again in {seconds} seconds",
    ),
    "unauthorized": ("需要登录或令牌", "authentication required"),
    "forbidden": ("无权执行此操作", "not allowed"),
    "invalid": ("数据无效", "invalid data"),
    "too_large": ("请求内容过大", "the request is too large"),
    "too_large.body": (
        "请求内容超过 {limit} 字节",
        "the request body is larger than {limit} bytes",
    ),
    "validation_error": ("请求格式有误", "the request is malformed"),
    "method_not_allowed": ("此地址不支持该请求方法", "method not allowed"),
    "http_error": ("请求失败", "the request failed"),
    # ---- access -------------------------------------------------------------------------
    "not_authenticated": (
        "此操作需要令牌（Authorization: Bearer）",
        "this route needs a bearer token",
    ),
    "invalid_token": ("令牌无效、已过期或已撤销", "the token is unknown, expired or revoked"),
    "forbidden_role": ("您的角色不能执行此操作", "your role may not do this"),
    "forbidden_role.roles": ("此操作仅限{roles}", "this route is for {roles}"),
    "forbidden_role.superuser": (
        "此操作仅限系统超级管理员（不属于任何管理部门的管理员）",
        "this route is for the registry's superuser (an admin without authority)",
    ),
    "forbidden_role.reviewer_files": (
        "评审员负责审核申报，不能提交申报",
        "reviewers decide filings; they do not file them",
    ),
    "forbidden_role.reviewer_edits": (
        "评审员负责审核申报，不能修改申报",
        "reviewers decide filings; they do not edit them",
    ),
    "forbidden_role.decisions": ("审核决定由评审员作出", "decisions are for reviewers"),
    "forbidden_role.referrals": (
        "目录外专业由省级管理员审定",
        "referrals are decided by the province's admins",
    ),
    "forbidden_role.superuser_tokens": (
        "只有超级管理员能管理超级管理员令牌",
        "only the superuser manages superuser tokens",
    ),
    "forbidden_role.national_catalog": (
        "国家目录由超级管理员维护",
        "national catalogs are the superuser's",
    ),
    "not_your_authority": ("超出您的管理范围", "outside your authority"),
    "not_your_authority.college": (
        "此院校不在您的管理范围内",
        "this college is outside your authority",
    ),
    "not_your_authority.catalog": (
        "省级目录由该省的管理部门维护",
        "a provincial catalog is kept by its province's bureau",
    ),
    "not_your_authority.rows": ("部分行超出您的管理范围", "some rows are outside your authority"),
    "not_your_authority.list": (
        "此名单的管理部门不在您的管理范围内",
        "this list belongs to an authority outside yours",
    ),
    "csrf_failed": (
        "表单已过期或不是从本站提交的；请刷新页面后重试",
        "the form expired or was not sent from this site; reload the page and try again",
    ),
    "too_many_requests": ("请求过于频繁，请稍后再试", "too many requests; try again later"),
    "login_throttled": (
        "密码错误次数过多，请 {minutes} 分钟后再试",
        "too many wrong passwords; try again in {minutes} minutes",
    ),
    "weak_password": ("密码至少需要 {min} 个字符", "a password needs at least {min} characters"),
    "wrong_password": ("当前密码不正确", "the current password is wrong"),
    "same_password": (
        "新密码不能与当前密码相同",
        "the new password must differ from the current one",
    ),
    "invalid_username": ("用户名须为 1 至 64 个字符", "a username is 1 to 64 characters"),
    "user_exists": ("用户名“{username}”已被使用", "the username '{username}' is taken"),
    "user_not_found": ("没有编号为 {id} 的用户", "no user {id}"),
    "user_disable_self": (
        "不能停用当前登录使用的账号，请由另一位管理员停用",
        "you cannot disable the account you are signed in with: another admin can",
    ),
    "session_not_found": ("没有编号为 {id} 的登录会话", "no session {id}"),
    "not_your_authority.user": (
        "此用户不在您的管理范围内",
        "this user is outside your authority",
    ),
    "invalid_role": (
        "未知角色“{role}”；可用：{roles}",
        "unknown role '{role}'; use one of {roles}",
    ),
    "college_required": ("院校令牌需要指定 --college", "a college token needs --college"),
    "college_required.file": (
        "请指定院校（表单字段 college）：文件中有 {count} 所学校",
        "name the college (form field `college`): the file names {count} schools",
    ),
    "invalid_binding": (
        "院校令牌绑定院校，而不是管理部门",
        "a college token is bound to its college, not an authority",
    ),
    "invalid_binding.not_college": (
        "只有院校令牌才绑定院校",
        "only college tokens are bound to a college",
    ),
    "authority_required": ("请指定管理部门", "name the authority"),
    "authority_required.reviewer": (
        "评审员令牌需要指定 --authority",
        "a reviewer token needs --authority",
    ),
    "authority_required.publication": (
        "请指定发布名单的管理部门",
        "name the authority publishing the list",
    ),
    "authority_required.round": ("请指定申报批次的管理部门", "name the round's authority"),
    "authority_not_found": ("没有代码为“{code}”的管理部门", "no authority '{code}'"),
    "invalid_days": ("有效天数必须为正数", "days must be a positive number"),
    "name_required": (
        "令牌需要一个名称（显示在审计日志中）",
        "a token needs a name (it is shown in the audit log)",
    ),
    "token_not_found": ("没有编号为 {id} 的令牌", "no token {id}"),
    "last_superuser_token": (
        "令牌 {id} 是最后一个有效的超级管理员令牌，不能通过接口撤销"
        "（请先创建另一个，或在服务器上用命令行撤销）",
        "token {id} is the last active superuser token; create another first, or revoke it with"
        " the command line on the server",
    ),
    # ---- catalogs -----------------------------------------------------------------------
    "edition_not_found": ("没有专业目录版本“{key}”", "no catalog edition '{key}'"),
    "edition_exists": ("专业目录版本“{key}”已存在", "edition '{key}' exists"),
    "edition_mismatch": (
        "专业目录版本“{key}”已存在，其 {field} 为“{found}”而不是“{wanted}”",
        "edition '{key}' exists with {field} '{found}', not '{wanted}'",
    ),
    "code_format": ("专业代码格式不正确", "the code has the wrong shape"),
    "major_exists": ("{edition} 已有专业代码 {code}", "{edition} already has code {code}"),
    "major_not_found": ("{edition} 中没有专业 {code}", "{edition} has no major {code}"),
    "same_edition": (
        "对照表必须连接两个不同的目录版本",
        "a crosswalk links two different editions",
    ),
    "crosswalk_to_code": (
        "必须填写新代码 to_code（已撤销的专业除外）",
        "to_code is required, except for a withdrawn code (which has none)",
    ),
    "crosswalk_exists": ("此对照行已存在", "this crosswalk line exists"),
    "crosswalk_not_found": ("没有编号为 {id} 的对照行", "no crosswalk line {id}"),
    "edition_mismatch.adoption": (
        "{new} 不能取代 {old}：两者须为同一类别（技工院校或中职）的全国目录",
        "{new} cannot replace {old}: both must be national catalogs of one system",
    ),
    "edition_superseded": (
        "{key} 已被另一版本取代",
        "{key} is already superseded by another edition",
    ),
    "adoption_needs_decisions": (
        "还有专业设置需要决定，未作任何更改",
        "some programs still need a decision; nothing was changed",
    ),
    "invalid_entity": (
        "没有“{entity}”这类记录；可用：{allowed}",
        "no entity '{entity}'; use one of {allowed}",
    ),
    "invalid_cursor": ("翻页游标无效（不是本接口给出的）", "the cursor is not one this API issued"),
    # ---- webhooks -----------------------------------------------------------------------
    "webhook_not_found": ("没有编号为 {id} 的订阅", "no webhook {id}"),
    "delivery_not_found": ("没有这次投递（{id}）", "no delivery {id}"),
    "webhook_url_invalid": (
        "订阅地址须为 http:// 或 https:// 开头的完整网址",
        "the webhook URL must be a full http:// or https:// address",
    ),
    "webhook_url_unresolved": (
        "无法解析订阅地址的主机名",
        "the webhook URL's host does not resolve",
    ),
    "webhook_url_refused": (
        "不能向本机、内网或链路本地地址投递（可由 REGISTRY_WEBHOOK_ALLOWED_HOSTS 放行）",
        "loopback, private and link-local destinations are refused "
        "(unless listed in REGISTRY_WEBHOOK_ALLOWED_HOSTS)",
    ),
    # ---- colleges and programs --------------------------------------------------------
    "college_not_found": ("没有代码为“{code}”的院校", "no college with code '{code}'"),
    "college_not_found.file": (
        "文件中的“学校”不是已登记的院校",
        "the 学校 of the file is not a registered college",
    ),
    "college_exists": ("院校代码“{code}”已存在", "college code '{code}' exists"),
    "college_exists.name": ("已有院校名为“{name}”", "a college is already named '{name}'"),
    "program_not_found": ("没有编号为 {id} 的专业设置", "no program {id}"),
    "program_exists": (
        "院校 {college} 已在办 {major} 的这一级别和层次",
        "college {college} already runs {major} at this level and intake as an active program",
    ),
    "program_exists.program": (
        "专业设置 {id} 已在办这一专业、级别和层次",
        "program {id} already runs this offering",
    ),
    "program_exists.race": (
        "另一项批准刚刚使这一专业、级别和层次在办",
        "another approval made this offering active a moment ago",
    ),
    "level_not_allowed": (
        "中职专业没有培养级别，请不要填写",
        "中职 programs have no level; leave it out",
    ),
    "level_required": (
        "技工院校专业设置需要填写级别（中级、高级或预备技师）",
        "a technician program needs a level (中级, 高级 or 预备技师)",
    ),
    # ---- files --------------------------------------------------------------------------
    "bad_encoding": (
        "文件既不是 UTF-8 也不是 GBK 编码的文本，也不是 XLSX、XLS 或 ODS 表格；"
        "请在 Excel 或 WPS 中另存为 .xlsx（或 CSV UTF-8）后再上传",
        "the file is neither UTF-8 nor GBK text, nor an XLSX, XLS or ODS spreadsheet; save it "
        "as .xlsx (or CSV UTF-8) in Excel or WPS and upload that",
    ),
    "bad_spreadsheet": (
        "无法读取此表格文件：{reason}；请在 Excel 或 WPS 中打开并另存为 .xlsx 后再上传",
        "the spreadsheet cannot be read: {reason}; open it in Excel or WPS, save it as .xlsx "
        "and upload that",
    ),
    "bad_header": (
        "第 {row} 行表头缺少列：{missing}",
        "the header (row {row}) lacks the columns {missing}",
    ),
    "bad_header.duplicate": (
        "第 {row} 行表头有重复的列：{columns}",
        "the header (row {row}) repeats the columns {columns}",
    ),
    "too_many_rows": ("超过 {max_rows} 行", "more than {max_rows} rows"),
    "empty_file": ("文件没有表头行", "the file has no header row"),
    "empty_file.no_entries": ("文件只有表头，没有条目", "the file has a header but no entries"),
    "file_too_large": ("文件超过 {limit} 字节", "the file is larger than {limit} bytes"),
    "spreadsheet_too_large": (
        "表格解压后为 {size} 字节（最多 {limit} 字节）",
        "the spreadsheet inflates to {size} bytes (at most {limit})",
    ),
    "import_rejected": (
        "文件有 {count} 处错误，未导入任何数据",
        "the file has {count} errors; nothing was imported",
    ),
    # ---- filings ------------------------------------------------------------------------
    "filing_not_found": ("没有编号为 {id} 的申报", "no filing {id}"),
    "stale_version": (
        "保存前该申报已被他人修改：请对照两个版本合并后再保存",
        "the filing changed since you read it; reload and reapply your edit",
    ),
    "not_draft": ("{status}的申报不能修改", "a {status} filing cannot be edited"),
    "not_draft.submit": ("{status}的申报不能提交", "a {status} filing cannot be submitted"),
    "empty_filing": ("申报至少需要一个条目", "a filing needs at least one entry"),
    "filing_has_errors": ("申报仍有错误，不能提交", "the filing still has errors"),
    "round_closed": ("不在申报批次开放时间内", "outside the round's window"),
    "already_decided": ("已作出决定", "already decided"),
    "already_decided.filing": (
        "只有尚未作出决定的申报才能撤回",
        "only an undecided filing can be withdrawn",
    ),
    "already_decided.entry": ("第 {index} 条已{decision}", "entry {index} is already {decision}"),
    "already_decided.referral": (
        "目录外专业评审 {id} 已{status}",
        "referral {id} is already {status}",
    ),
    "not_withdrawable": (
        "只有尚未作出决定的申报才能撤回",
        "only an undecided filing can be withdrawn",
    ),
    "not_your_college": (
        "院校令牌只能为本院校操作",
        "a college token acts only for its own college",
    ),
    "not_your_college.filing": ("此申报属于其他院校", "this filing belongs to another college"),
    "not_your_authority.filing": (
        "此申报属于其他管理部门",
        "this filing is under another authority",
    ),
    "not_your_authority.round": (
        "此批次的管理部门不在您的管理范围内",
        "this round's authority is outside yours",
    ),
    "not_your_authority.referral": (
        "这是其他省份的目录外专业评审",
        "this referral is another province's",
    ),
    "draft": ("草稿在提交前只属于院校", "a draft is the college's until it is submitted"),
    "other_college": ("有些行的学校不是{college}", "rows name a school other than {college}"),
    "not_under_review": ("{status}的申报不在审核中", "a {status} filing is not under review"),
    "duplicate_index": (
        "同一条目在一次提交中出现两次",
        "the same entry appears twice in one request",
    ),
    "referral_decided": (
        "省厅已对该目录外专业作出决定，不能再更改",
        "the province has decided this proposal; the decision can no longer change",
    ),
    "not_under_review.closed": (
        "该申报不在评审中，决定不能再更改",
        "the filing is not under review; decisions can no longer change",
    ),
    "entry_not_found": ("申报 {id} 没有第 {index} 条", "filing {id} has no entry {index}"),
    "reason_required": (
        "不予通过须写明理由（学校会看到）",
        "a rejection needs a reason the college can read",
    ),
    "not_out_of_catalog": (
        "只有目录外专业（无专业代码）才报省厅",
        "only an out-of-catalog proposal (no code) goes to the province",
    ),
    "out_of_catalog": (
        "目录外专业须报省厅，不能在此直接通过",
        "an entry without a catalog major is referred to the province, not approved here",
    ),
    "no_province": ("此申报没有可报送的上级管理部门", "the filing has no authority to refer to"),
    "referral_not_found": ("没有编号为 {id} 的目录外专业评审", "no referral {id}"),
    "no_specialty_catalog": (
        "{province}没有正在使用的特色专业目录",
        "{province} has no specialty catalog in force",
    ),
    "no_free_code": ("{edition} 已没有空闲的 8xxx 代码", "{edition} has no free 8xxx code left"),
    "category_required": (
        "此目录外专业没有专业类别；请填写",
        "the proposal has no category; give one",
    ),
    "code_taken": ("代码刚被占用；请重试", "the code was taken concurrently; retry"),
    "bad_window": ("截止时间须晚于开始时间", "closes_at must be after opens_at"),
    "round_exists": (
        "{authority} 已有 {year} 年的申报批次（第 {id} 号）；需要补报时请延长或重新开放该批次",
        "{authority} already has a {year} round (round {id}); extend or reopen it for late filings",
    ),
    "round_already_closed": ("该批次已截止", "the round is already closed"),
    "round_not_found": ("没有第 {id} 号申报批次", "no round {id}"),
    # ---- publications -------------------------------------------------------------------
    "publication_not_found": ("没有编号为 {id} 的名单", "no publication {id}"),
    "publication_not_found.series": ("没有已发布的名单 {series}", "no published list {series}"),
    "publication_not_found.year": ("没有 {year} 年已发布的名单", "no published list of {year}"),
    "published": (
        "已发布的名单不能修改；请提交勘误",
        "a published list never changes; file a correction (勘误) instead",
    ),
    "college_outside_authority": (
        "这些行列出的院校不属于本名单的管理部门",
        "these lines name colleges outside the list's authority",
    ),
    "round_mismatch": (
        "该申报批次属于其他管理部门或年份",
        "the round belongs to another authority or year",
    ),
    "round_and_lines": ("round_id 和 lines 只能给一个", "give round_id or lines, not both"),
    "series_exists": (
        "名单 {series} 已存在；请改为勘误",
        "the list {series} exists; correct it instead",
    ),
    "empty_publication": ("空名单不能发布", "an empty list cannot be published"),
    "bad_reference": ("“{ref}”：请用 year:YYYY", "'{ref}': use year:YYYY"),
    "not_published": ("只有已发布的名单才能勘误", "only a published list can be corrected"),
    "not_latest": ("请对名单的最新修订版勘误", "correct the latest revision of the list"),
    "draft_exists": ("已有一份勘误草稿", "a correction is already in draft"),
    "bad_numbering": ("序号 {seq}：应为 {expected}", "序号 {seq}: expected {expected}"),
    "bad_numbering.lines": (
        "第 {seq} 号的各行必须是同一院校、同一专业",
        "the lines of entry {seq} must name one college and one major",
    ),
    "annex_not_found": ("{system}名单没有附件“{key}”", "a {system} list has no annex '{key}'"),
    "annex_not_in_layout": ("{system}名单没有附件“{key}”", "a {system} list has no annex '{key}'"),
    "unknown_college": ("没有院校 {code}", "no college {code}"),
    "unknown_college.school": ("没有名为“{name}”的院校", "no college named '{name}'"),
    "direction_exists": ("{college}已登记“{name}”", "{name} is already recorded for {college}"),
    "direction_not_found": ("没有编号为 {id} 的专业方向", "no direction {id}"),
    "unknown_major": ("专业代码无法识别", "the major is unknown"),
    # ---- vocabulary used inside messages ---------------------------------------------
    "status.draft": ("草稿", "draft"),
    "status.submitted": ("已提交", "submitted"),
    "status.decided": ("已决定", "decided"),
    "status.withdrawn": ("已撤回", "withdrawn"),
    "status.pending": ("待定", "pending"),
    "status.approved": ("通过", "approved"),
    "status.rejected": ("不通过", "rejected"),
    "status.referred": ("报省级评审", "referred"),
    "status.published": ("已发布", "published"),
    "role.admin": ("管理员", "admin"),
    "role.reviewer": ("评审员", "reviewer"),
    "role.college": ("院校", "college"),
    # ---- issue 27: imports that know their base
    "changed_since_export": (
        "文件导出（变更序号 {base_seq}）之后，有 {count} 行涉及的专业已被修改，导入会覆盖这些修改；"
        "请重新导出后再改，或注明理由强制导入",
        "{count} rows would change programs changed after the export (change {base_seq}) the "
        "file was made from, undoing those changes; export again and redo the edits, or force "
        "the import with a reason",
    ),
    # ---- issue 26: database faults
    "service_unavailable": (
        "数据库暂时无法访问（重启、维护或磁盘已满），请 {seconds} 秒后重试；已确认的数据不会丢失。",
        "the database is unavailable for now (restarting, maintenance or a full disk); "
        "retry in {seconds} s. Nothing acknowledged is lost.",
    ),
    # ---- issue 23: approval lists as the source of truth (公示, traced lines, round summary)
    "line_not_approved": (
        "第 {seq} 号：没有本批次的批准申报对应此行，手工添加须说明理由（reason）",
        "entry {seq}: no approved entry of the round carries this line; a line added by hand "
        "needs a reason",
    ),
    "line_not_approved.entry": (
        "第 {seq} 号：所指的申报条目不是本批次对此专业的批准条目",
        "entry {seq}: the entry named is not an approval of this offering in the round",
    ),
    "line_has_errors": (
        "手工添加的行有 {count} 处错误（与申报条目同样检查）",
        "lines added by hand have {count} errors (checked like filing entries)",
    ),
    "line_conflict": ("第 {seq} 号不能生效", "entry {seq} cannot take effect"),
    "line_conflict.exists": (
        "第 {seq} 号（{college} {major}）：该院校已在办此专业（已由其他名单批准）",
        "entry {seq} ({college} {major}): the college already runs it (approved by another list)",
    ),
    "line_conflict.pending": (
        "第 {seq} 号（{college} {major}）：此专业在其他申报中待审核或待公布",
        "entry {seq} ({college} {major}): the offering is pending in another filing or list",
    ),
    "line_conflict.not_approved": (
        "第 {seq} 号（{college} {major}）：所依据的批准已不存在或已撤回",
        "entry {seq} ({college} {major}): the approval it prints no longer stands",
    ),
    "draft_fields_required": (
        "不从申报批次起草时须给出年度和名称",
        "without a round, a draft needs year and title",
    ),
    "published_on_required": ("发布前须填写发布日期", "set the publication date before publishing"),
    "announcement_required": (
        "本部门的名单须先公示（{days} 天）再发布",
        "this authority announces its lists first (公示, {days} days)",
    ),
    "announcement_open": (
        "公示期至 {until}，期满后才能发布",
        "the public notice runs until {until}; publish after it",
    ),
    "objection_open": ("还有 {count} 条异议未处理", "{count} objections are still open"),
    "bad_period": ("公示结束日期不能早于开始日期", "the notice period ends before it starts"),
    "no_such_entry": ("名单没有第 {seq} 号", "the list has no entry {seq}"),
    "no_such_entry.whole_list": (
        "针对整份名单的异议不能删除某一条",
        "an objection to the whole list drops no entry",
    ),
    "objection_not_found": ("没有编号为 {id} 的异议", "no objection {id}"),
    "forbidden_role.staff": ("此操作仅限管理员和评审员", "this is for admins and reviewers"),
    "status.announced": ("公示中", "announced"),
    "objection_upheld": (
        "公示期间异议成立：{resolution}",
        "objection upheld during 公示: {resolution}",
    ),
    # ---- issue 23: honest filters
    "unknown_parameter": (
        "不支持查询参数“{name}”（可用的参数：{allowed}）",
        "unknown query parameter '{name}' (known: {allowed})",
    ),
    # ---- issue 24: program lifecycle, colleges that close or merge
    "college_closed": ("{college}已{status}，不能再申报", "{college} is {status}: no filings"),
    "college_closed.merge": (
        "{college}已{status}，不能合并或撤销",
        "{college} is {status}: it cannot be merged or closed",
    ),
    "college_status.closed": ("撤销", "closed"),
    "college_status.merged": ("合并", "merged"),
    "college_status.active": ("在办", "active"),
    "merge_into_self": ("不能并入自身", "a college cannot be merged into itself"),
    "merge_across_system": (
        "只能并入同一类（技工院校或中职）的学校",
        "a college merges only into one of the same system (technician or 中职)",
    ),
    "reason_required.status": (
        "直接更改专业状态须写明理由（记入历史和审计）",
        "a direct status change needs a reason (kept in the history and the audit)",
    ),
    "closure_stale": (
        "名单上的专业 {code}（{college}）已不在可{kind}的状态",
        "program {code} of {college} is no longer in a state for {kind}",
    ),
    "unknown_grouping": ("不能按“{by}”统计", "no grouping '{by}'"),
    # ---- issue 25: sign-in throttling and the password rule
    "login_throttled.wait": (
        "登录失败次数过多，请 {wait}后再试（其他电脑或网络不受影响）",
        "too many failed sign-ins; try again in {wait} (other computers and networks are "
        "not affected)",
    ),
    "login_throttled.seconds": ("{n} 秒", "{n} seconds"),
    "login_throttled.minutes": ("{n} 分钟", "{n} minutes"),
    "password_repetitive": (
        "密码不能是重复或连续的字符（如 aaaaaaaaaa、1234567890、十个空格）",
        "a password cannot be repeated or sequential characters (aaaaaaaaaa, 1234567890, spaces)",
    ),
    "password_common": (
        "这是常用密码，容易被猜中，请换一个",
        "this is a commonly used password that is easy to guess; choose another",
    ),
    "password_is_username": ("密码不能与用户名相同", "a password cannot be the username"),
    "password_is_registry_name": (
        "密码不能是本系统的名称",
        "a password cannot be the name of the registry",
    ),
    "other_college.rows": (
        "第 {rows} 行（共 {count} "
        "行）的学校不是{college}：一份申报只含一所学校，请把其他学校的行删去或另行申报",
        "rows {rows} ({count} in all) name a school other than {college}: one filing is one "
        "college's; remove those rows or file them apart",
    ),
    "not_a_spreadsheet": (
        "“{filename}”不是表格文件：请上传 Excel 表格（.xlsx）或 CSV 文件（可下载申报模板填写）",
        "'{filename}' is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file (the "
        "filing template is a good start)",
    ),
}
