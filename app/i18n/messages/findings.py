"""Finding codes (contract.md: Checking a filing) and the row-error codes of imports.

A code's own key is its general message; ``code.variant`` keys are the particular wordings the
checks use. Parameters are values: codes, names, ``years(n)``, ``Joined([...])``."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- one entry's values ------------------------------------------------------------
    "entry.missing_field": ("{field}未填写", "{field} is blank"),
    "entry.invalid_value": (
        "“{value}”不是有效的{field}（可填：{allowed}）",
        "'{value}' is not a known {field} ({allowed})",
    ),
    "entry.invalid_value.no_level": (
        "中职专业没有培养级别，请留空",
        "中职 programs have no training level; leave it blank",
    ),
    "entry.invalid_value.years": (
        "学制“{value}”不是 1 至 8 年的年数",
        "学制 '{value}' is not a number of years (1-8)",
    ),
    "entry.invalid_value.kind": (
        "“{value}”不是有效的申报类型（可填：{allowed}）",
        "'{value}' is not a known kind ({allowed})",
    ),
    "entry.invalid_value.too_long": ("超过 {limit} 个字符", "longer than {limit} characters"),
    "entry.invalid_value.year": ("“{value}”不是年份", "'{value}' is not a year"),
    "entry.invalid_value.levels": (
        "“{value}”不是有效的级别（可填：{allowed}）",
        "'{value}' is not a known level ({allowed})",
    ),
    "entry.invalid_value.use": ("应填{allowed}", "use {allowed}"),
    "entry.invalid_value.college_code": (
        "院校代码为 1 至 20 个字母、数字、“-”或“_”",
        "a college code is 1-20 letters, digits, '-' or '_'",
    ),
    "entry.duplicate": ("{value} 已在第 {row} 行出现", "{value} is also on row {row}"),
    # ---- the major -----------------------------------------------------------------------
    "major.code_format": ("专业代码格式不正确", "the major code has the wrong shape"),
    "major.code_format.digits": (
        "{system}专业代码为 {digits} 位数字，“{code}”不是",
        "a {system} code has {digits} digits; '{code}' does not",
    ),
    "major.code_format.dropped_zero": (
        "“{code}”只有 {length} 位，{system}专业代码为 {digits} 位；表格可能去掉了开头的 0",
        "'{code}' has {length} digits, a {system} code has {digits}; "
        "a spreadsheet may have dropped its leading zero",
    ),
    "major.unknown_code": (
        "专业代码 {code} 不在本轮适用的任何专业目录中",
        "{code} is in no catalog edition in force",
    ),
    "major.unknown_code.province": (
        "专业代码 {code} 不在{province}适用的{system}专业目录中",
        "{code} is in no {system} catalog in force for {province}",
    ),
    "major.not_in_province": (
        "{code} 是其他省份的特色专业代码",
        "{code} is a specialty code of another province",
    ),
    "major.superseded": (
        "{code} 已在{where}中撤销或被替代；现为 {successors}",
        "{code} is withdrawn or replaced in {where}; now {successors}",
    ),
    "major.superseded.no_successor": (
        "{code} 已在{where}中撤销，没有接替的专业",
        "{code} is withdrawn in {where}; it has no successor",
    ),
    "major.superseded.catalog": ("专业目录", "the catalog"),
    "major.name_mismatch": (
        "{code} 在《{edition}》中的名称为“{name}”",
        "{code} is {name} in {edition}",
    ),
    "major.category_mismatch": ("{code} 属于{category}", "{code} is in {category}"),
    "major.out_of_catalog": (
        "未填专业代码：“{name}”为目录外专业，报省级评审",
        "no code: {name} is a proposal for provincial review",
    ),
    "major.out_of_catalog.known": (
        "未填专业代码：“{name}”为目录外专业，报省级评审；目录中已有 {code} {catalog_name}",
        "no code: {name} is a proposal for provincial review; "
        "the catalog has {code} {catalog_name}",
    ),
    # not a check: stored on an out-of-catalog entry when the province approves it
    "referral.approved": (
        "省级评审已批准此目录外专业，赋予代码 {code}",
        "The province approved this proposal and gave it the code {code}",
    ),
    "major.direction_unregistered": (
        "“{name}”不是本校已登记的专业方向",
        "'{name}' is not a direction registered for this school",
    ),
    # 2024 中职 notice: 未进行规范名称备案的专业方向均按《职业教育专业目录》对应专业管理，
    # 2024 年起原则上不再接受以专业方向形式的招生备案
    "major.direction_unregistered.normalised": (
        "“{name}”不是本校保留的专业方向：教育局已将其规范为“{target}”（{code}），请按规范专业名称申报",
        "'{name}' is not a direction kept for this school: the bureau normalised it to "
        "'{target}' ({code}); file that major",
    ),
    "major.direction_unregistered.base": (
        "“{name}”不是本校备案的专业方向：未备案的专业方向按目录专业“{target}”（{code}）管理，"
        "2024 年起原则上不再接受以专业方向形式的申报",
        "'{name}' is not a direction registered for this school: it is managed as its catalog "
        "major '{target}' ({code}); from 2024 a filing in direction form is in principle not "
        "accepted",
    ),
    # ---- recording 专业方向 (API and import rows) ----------------------------------------
    "direction.bad_form": (
        "“{name}”不是专业方向的写法：应为“目录专业（专业方向）”",
        "'{name}' is not a direction: write <catalog major>（<direction>）",
    ),
    "major.unknown_name": (
        "“{name}”不是现行中职专业目录中的专业名称",
        "'{name}' is not a major of the 中职 catalog in force",
    ),
    "college.unknown.name": ("没有名为“{name}”的院校", "no college named '{name}'"),
    "college.not_secondary": (
        "{name}不是中等职业学校，没有专业方向",
        "{name} is not a 中职 school: it has no 专业方向",
    ),
    # ---- level, length, offering -----------------------------------------------------
    "level.not_offered": ("{code} 只开设{levels}", "{code} is taught at {levels}"),
    "level.above_college_type": (
        "{college_type}通常只开设{levels}",
        "a {college_type} normally trains {levels}",
    ),
    "program.unknown_intake_level": (
        "本管理部门不设{intake}{level}班",
        "{intake} {level} is not a combination this authority trains",
    ),
    "program.length_mismatch": ("{intake}{level}班学制为{years}", "{intake} {level} lasts {years}"),
    "program.exists": (
        "本校已开设 {code} {intake}{level}（在办）",
        "the college already runs {code} {intake} {level} (active)",
    ),
    "program.duplicate_in_filing": (
        "与本申报第 {number} 条为同一专业设置",
        "the same offering is entry {number} of this filing",
    ),
    "program.pending": (
        "同一专业设置已在本校另一份待审核的申报中",
        "the same offering is in another filing of the college awaiting review",
    ),
    "program.duplicate_active": (
        "同一在办专业设置（院校、专业、级别、层次）已在第 {row} 行",
        "the same active offering (college, major, level, intake) is on row {row}",
    ),
    "filing.kind_mismatch": (
        "申报类型为{declared}，但登记记录显示为{derived}",
        "declared {declared}, but the registry shows {derived}",
    ),
    "round.closed": ("本年度没有开放的申报批次", "no filing round is open for this year"),
    "round.closed.window": (
        "申报批次开放时间为 {opens} 至 {closes}（{zone}）",
        "the round is open {opens} to {closes} ({zone})",
    ),
    "college.unknown": ("没有代码为“{code}”的院校", "no college with code '{code}'"),
    "college.name_taken": (
        "院校名称“{name}”已属于 {owner}",
        "the name '{name}' belongs to college {owner}",
    ),
    # ---- catalog adoption and crosswalk imports ---------------------------------------
    "adoption.unknown_program": (
        "{edition} 中没有与之相符的在办或停招专业设置（{column}）",
        "{edition} has no active or suspended program matching this ({column})",
    ),
    "adoption.no_decision_needed": ("无需决定", "no decision is needed"),
    "adoption.no_decision_needed.withdrawn": (
        "{code} 在新目录中撤销，没有后继专业；留空",
        "{code} is withdrawn in the new catalog with no successor; leave it blank",
    ),
    "adoption.no_decision_needed.automatic": (
        "{code} 按对照表自动对应 {successor}",
        "{code} moves to {successor} by the crosswalk",
    ),
    "adoption.not_a_candidate": (
        "{code} 拆分为 {codes}，{new_code} 不在其中",
        "{code} splits into {codes}; {new_code} is not one of them",
    ),
    "crosswalk.inconsistent": ("对照关系不一致", "the crosswalk lines disagree"),
    "entry.duplicate.decision": (
        "同一专业设置已在第 {row} 行作出决定",
        "the same program is decided on row {row}",
    ),
    "major.unknown_code.edition": (
        "{edition} 中没有专业代码 {code}",
        "{edition} has no code {code}",
    ),
    "major.name_mismatch.edition": (
        "{edition} 中 {code} 的名称是 {name}",
        "in {edition}, {code} is named {name}",
    ),
    "entry.invalid_value.old_edition": (
        "没有可用的原目录 {key}",
        "no usable older edition {key}",
    ),
    "entry.invalid_value.relation": (
        "未知的对应关系（应填{allowed}）",
        "unknown relation (use {allowed})",
    ),
    "entry.invalid_value.withdrawn_new_code": (
        "撤销的专业没有新专业代码，请留空",
        "a withdrawn code has no new code; leave it blank",
    ),
    "crosswalk.inconsistent.many": (
        "{code} 有多行对应，只有拆分可以对应多个新专业",
        "{code} has several lines; only a split maps to several new majors",
    ),
    "crosswalk.inconsistent.split": (
        "拆分至少对应两个新专业",
        "a split maps to at least two new majors",
    ),
    "crosswalk.missing_code": (
        "{edition} 的 {code} 不在对照表中",
        "{code} of {edition} is not in the crosswalk",
    ),
    # ---- field names as a clerk reads them -------------------------------------------
    "field.major_code": ("专业代码", "major_code"),
    "field.major_name": ("专业名称", "major_name"),
    "field.category": ("专业类别", "category"),
    "field.intake": ("层次（招生起点）", "intake"),
    "field.level": ("级别", "level"),
    "field.length_years": ("学制", "length_years"),
    "field.kind": ("申报类型", "kind"),
    "hint.status": ("active、suspended 或 withdrawn", "active, suspended or withdrawn"),
    "hint.length_years": ("1 至 8 年", "1 to 8 years"),
    "hint.since_year": ("年份，如 2024", "a year such as 2024"),
    "hint.levels": ("中级、高级或预备技师", "中级, 高级 or 预备技师"),
    "hint.ownership": ("公办或民办", "公办 or 民办"),
    "system.technician": ("技工院校", "technician"),
    "system.secondary": ("中职", "secondary"),
    # ---- issue 23: publication closes the round
    "round.closed.published": (
        "本批次的名单已发布，不再接受申报",
        "the round's list is published: no new submissions",
    ),
    # ---- issue 24: program lifecycle (停招 / 撤销 entries, reopening)
    "program.not_found": (
        "本校没有可{kind}的专业 {code}（{intake}{level}）",
        "the college runs no program {code} ({intake} {level}) that can be given {kind}",
    ),
    "program.not_found.state": (
        "本校的专业 {code}（{intake}{level}）目前为{states}，不能{kind}",
        "the college's program {code} ({intake} {level}) is {states}: no {kind}",
    ),
    "program.suspended_since": (
        "该专业自 {since} 年起停招，已停招 {years} 年",
        "the program has been suspended since {since} ({years} years)",
    ),
    "program.status.active": ("在办", "active"),
    "program.status.suspended": ("停招", "suspended"),
    "program.status.withdrawn": ("撤销", "withdrawn"),
    "program.status.approved": ("批准待公布", "approved"),
    "field.reason": ("理由", "reason"),
    "field.effective_year": ("起始年份", "effective year"),
}
