//! Data tables of the sample estate: names, and the sentences staff write into the registers
//! (repair and complaint texts by kind and season, visit remarks, inspection findings, document
//! titles, activities …). Input: none. Output: `const` arrays only; nothing here can fail.
//!
//! Every name is fictional: a common surname and one or two given characters drawn at random,
//! with well-known public figures refused by [`FAMOUS`].

/// Common surnames, the north-east's Manchu-origin ones included (关, 佟, 那).
pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭",
    "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田",
    "任", "姜", "范", "方", "石", "姚", "谭", "邹", "金", "陆", "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "史",
    "顾", "侯", "邵", "孟", "段", "雷", "尹", "常", "武", "乔", "贺", "关", "佟", "那", "隋", "付", "齐", "单", "葛",
];

/// Given-name characters used for men.
pub const GIVEN_MALE: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "斌", "鹏", "辉", "刚", "波", "宇", "浩", "凯", "健", "俊",
    "帆", "峰", "建", "国", "志", "海", "东", "亮", "晨", "阳", "博", "文", "立", "新", "永", "庆", "春", "成", "德",
    "福", "华", "利", "平", "铁", "力", "诚", "锋", "忠", "岩", "松", "柏", "毅", "恒", "旭", "晓", "振", "胜", "广",
];

/// Given-name characters used for women.
pub const GIVEN_FEMALE: &[&str] = &[
    "丽", "娜", "静", "敏", "艳", "芳", "燕", "玲", "婷", "雪", "慧", "晶", "霞", "红", "梅", "琳", "颖", "倩", "洁",
    "莉", "欣", "萍", "冰", "彤", "月", "佳", "琪", "悦", "宁", "蕾", "秀", "英", "华", "兰", "凤", "玉", "桂", "淑",
    "晓", "春", "丹", "雯", "璐", "瑶", "媛", "薇", "茜", "爽", "楠", "妍",
];

/// Full names of well-known public figures that a random draw could produce; never used.
pub const FAMOUS: &[&str] = &[
    "李强",
    "王毅",
    "韩正",
    "蔡奇",
    "李希",
    "李鹏",
    "朱德",
    "陈云",
    "李娜",
    "王菲",
    "刘翔",
    "姚明",
    "刘洋",
    "李宁",
    "郎平",
    "孙杨",
    "马云",
    "雷军",
    "王伟",
    "张伟",
    "刘欢",
    "那英",
    "王楠",
    "张怡宁",
    "邓亚萍",
    "王军霞",
    "杨扬",
    "李冰冰",
    "范冰冰",
    "赵薇",
    "周迅",
    "孙俪",
    "刘涛",
    "杨幂",
    "王力宏",
    "刘德华",
    "张学友",
    "黎明",
    "郭富城",
    "成龙",
    "李连杰",
    "赵本山",
    "宋丹丹",
    "郭德纲",
    "董明珠",
    "王健林",
    "马化腾",
    "李彦宏",
    "张艺谋",
    "陈凯歌",
    "冯小刚",
    "姜文",
    "葛优",
    "陈道明",
    "王志文",
    "刘烨",
    "黄渤",
    "徐峥",
    "沈腾",
    "贾玲",
    "杨利伟",
    "王亚平",
    "翟志刚",
    "聂海胜",
    "景海鹏",
    "刘伯明",
    "杨振宁",
    "袁隆平",
    "钟南山",
    "屠呦呦",
    "莫言",
    "余华",
    "韩寒",
    "郭敬明",
    "朱军",
    "董卿",
    "白岩松",
    "崔永元",
    "孟非",
    "汪涵",
    "何炅",
    "周杰伦",
    "林俊杰",
    "陈奕迅",
    "邓紫棋",
    "王宝强",
    "孙红雷",
    "黄晓明",
    "邓超",
    "刘亦菲",
    "杨紫",
    "赵丽颖",
    "高圆圆",
    "张杰",
    "谢娜",
    "李宇春",
    "张靓颖",
    "丁宁",
    "马龙",
    "许昕",
    "刘国梁",
    "孔令辉",
    "王皓",
    "林丹",
    "谌龙",
    "苏炳添",
    "朱婷",
    "惠若琪",
    "武磊",
    "郑洁",
    "李婷",
    "孙甜甜",
    "王军",
    "刘强",
    "张勇",
    "王石",
    "任正非",
    "柳传志",
    "宗庆后",
    "曹德旺",
    "许家印",
];

/// Shenyang district codes (GB/T 2260) for the first six digits of ID numbers.
pub const REGION_CODES: &[&str] =
    &["210102", "210103", "210104", "210105", "210106", "210111", "210112", "210113", "210114"];

/// The issuing identity, copied from `input/kefu.yaml`.
pub const COMPANY: &str = "沈阳银基物业有限公司";
/// The estate (项目) in the controlled-document identity.
pub const ESTATE: &str = "地王住宅";
/// The department.
pub const DEPARTMENT: &str = "客服部";
/// The residential estate's name.
pub const PROPERTY_NAME: &str = "地王国际花园";

/// The seventeen-character ID prefix is completed by a check digit; these are the sexes.
pub const SEXES: [&str; 2] = ["男", "女"];

/// The warranty options of 部门工作联系单 (forms/17.yaml), in order.
pub const WARRANTY: [&str; 8] = [
    "屋面防水（5年）",
    "有防水要求的房间（5年）",
    "外墙防渗漏（5年）",
    "供热与供冷系统（2个采暖期、供冷期）",
    "建筑装饰装修工程（2年）",
    "电气管线（2年）",
    "给排水管道（2年）",
    "设备安装（2年）",
];

/// A kind of repair: what owners report, where, whether the contractor's warranty covers it,
/// how its frequency changes with the season, and what the technician writes.
pub struct RepairKind {
    /// What the owner says; `{n}` is replaced by a room temperature.
    pub texts: &'static [&'static str],
    /// The part of the building for 公共区域 repairs (楼道, 电梯 …); empty for 入室.
    pub place: &'static str,
    /// Index into [`WARRANTY`] when the fault is a construction defect routed to 地产客服部.
    pub warranty: Option<usize>,
    /// Relative frequency in the heating season (Nov–Mar) and outside it.
    pub winter: u32,
    /// Relative frequency outside the heating season.
    pub summer: u32,
    /// What the technician did.
    pub work: &'static [&'static str],
    /// Material charge range in fen (0 when the owner pays nothing).
    pub fee: (i64, i64),
}

/// All repair kinds.
pub const REPAIRS: &[RepairKind] = &[
    RepairKind {
        texts: &[
            "暖气不热，室温只有{n}度",
            "卧室暖气片上热下凉",
            "地暖不热，室温只有{n}度",
            "暖气片不热，需要放气",
            "暖气忽冷忽热",
            "客厅暖气片全凉",
        ],
        place: "",
        warranty: None,
        winter: 30,
        summer: 0,
        work: &["暖气片排气，室温恢复正常", "清洗过滤网，调节入户阀门", "地暖分水器排气，各路回水正常"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["暖气片接口漏水", "暖气阀门滴水", "地暖分水器漏水", "暖气立管接头渗水"],
        place: "",
        warranty: Some(3),
        winter: 8,
        summer: 1,
        work: &["更换暖气片接口垫片", "更换入户阀门", "紧固分水器接头"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["热水不热，放十分钟还是凉的", "热水水压太小", "热水表不走字", "热水管有异响", "洗澡时热水忽冷忽热"],
        place: "",
        warranty: None,
        winter: 14,
        summer: 5,
        work: &["调整热水循环阀门，水温正常", "清洗热水表前过滤器", "更换热水表", "排除管道空气"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["卫生间地漏堵塞", "厨房下水不畅", "马桶堵塞", "洗手盆下水慢"],
        place: "",
        warranty: None,
        winter: 6,
        summer: 8,
        work: &["疏通地漏", "疏通厨房下水管", "疏通马桶", "清理存水弯"],
        fee: (0, 3000),
    },
    RepairKind {
        texts: &["水龙头滴水", "马桶水箱进水阀坏了，一直流水", "角阀漏水", "淋浴花洒漏水"],
        place: "",
        warranty: None,
        winter: 5,
        summer: 7,
        work: &["更换水龙头阀芯1个", "更换马桶进水阀", "更换角阀1个", "更换花洒软管"],
        fee: (1500, 8500),
    },
    RepairKind {
        texts: &["厨房给水管接头渗水", "卫生间下水管漏水到楼下", "水表前阀门漏水"],
        place: "",
        warranty: Some(6),
        winter: 2,
        summer: 3,
        work: &["更换给水管接头", "重新粘接下水管", "更换表前阀"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["卫生间防水渗漏，楼下顶棚有水印", "卫生间墙角返潮", "淋浴间地面渗水到客厅"],
        place: "",
        warranty: Some(1),
        winter: 2,
        summer: 3,
        work: &["重做卫生间防水层并闭水试验", "墙角防水修补"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["外墙渗水，卧室墙面发霉", "下雨时窗台渗水", "阳台外墙有裂缝渗水"],
        place: "",
        warranty: Some(2),
        winter: 1,
        summer: 4,
        work: &["外墙裂缝注胶封堵", "窗框四周重新打胶"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["顶层屋面漏雨", "顶层卧室顶棚有水渍"],
        place: "",
        warranty: Some(0),
        winter: 1,
        summer: 3,
        work: &["屋面防水层局部修补"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["客厅墙面出现裂缝", "卧室顶棚抹灰空鼓", "地面瓷砖空鼓开裂", "入户门框变形，关门费劲"],
        place: "",
        warranty: Some(4),
        winter: 3,
        summer: 3,
        work: &["墙面裂缝修补", "空鼓处铲除重新抹灰", "更换开裂瓷砖", "调整门框"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["客厅插座没电", "空气开关频繁跳闸", "卫生间灯不亮", "厨房插座冒火花"],
        place: "",
        warranty: None,
        winter: 5,
        summer: 6,
        work: &["更换插座1个", "排查线路，更换漏电开关", "更换灯泡", "紧固插座接线"],
        fee: (0, 4500),
    },
    RepairKind {
        texts: &["配电箱内线路发热有焦味", "墙内线路短路，半屋没电"],
        place: "",
        warranty: Some(5),
        winter: 1,
        summer: 1,
        work: &["更换配电箱内老化导线", "重新穿线"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["入户门锁芯不好用", "窗户关不严透风", "纱窗脱落", "卧室门把手松动"],
        place: "",
        warranty: None,
        winter: 4,
        summer: 4,
        work: &["锁芯加注润滑剂", "调整窗扇合页", "重新安装纱窗", "紧固门把手"],
        fee: (0, 6000),
    },
    RepairKind {
        texts: &["可视对讲无图像", "门铃不响", "可视对讲开不了单元门"],
        place: "",
        warranty: Some(7),
        winter: 2,
        summer: 2,
        work: &["更换可视对讲分机", "检修对讲线路"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["楼道灯不亮", "楼道声控灯不灵", "单元门口照明灯坏了"],
        place: "楼道",
        warranty: None,
        winter: 4,
        summer: 4,
        work: &["更换楼道灯泡", "更换声控开关"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["电梯异响", "电梯按钮失灵", "电梯门关闭时有撞击声", "电梯平层不准"],
        place: "电梯",
        warranty: None,
        winter: 3,
        summer: 3,
        work: &["通知电梯维保单位检修，运行正常", "更换电梯外呼按钮", "调整电梯门机"],
        fee: (0, 0),
    },
    RepairKind {
        texts: &["单元门闭门器损坏", "单元门禁刷卡没反应", "单元门关不上"],
        place: "单元门",
        warranty: None,
        winter: 2,
        summer: 2,
        work: &["更换闭门器", "检修门禁读卡器", "调整单元门磁力锁"],
        fee: (0, 0),
    },
];

/// Technicians' follow-up notes after a repair.
pub const REPAIR_FOLLOW_UPS: &[&str] =
    &["已回访，业主满意", "已回访，维修及时", "已回访，基本满意", "电话回访，问题已解决", "已回访，业主表示感谢"];

/// The complaint categories of forms 18–20, in order.
pub const COMPLAINT_CATEGORIES: [&str; 11] = [
    "秩序/安保",
    "环境/保洁",
    "工程/维修",
    "绿化",
    "客服/服务态度",
    "收费",
    "停车",
    "装修",
    "邻里纠纷",
    "社区文化",
    "其他",
];

/// Relative frequency of each category (same order) outside the heating season.
pub const COMPLAINT_WEIGHTS: [u32; 11] = [10, 14, 18, 5, 8, 6, 12, 10, 8, 3, 6];

/// What owners complain about, per category (same order).
pub const COMPLAINTS: [&[&str]; 11] = [
    &[
        "夜里有外来人员跟着进单元门，门岗没有拦",
        "小区东门晚上没人值守",
        "夜间巡逻保安没有按时巡逻",
        "快递员电动车在园区里骑得太快",
    ],
    &["楼道垃圾两天没人清理", "电梯轿厢里有异味", "单元门口有宠物粪便没人清理", "垃圾桶满了没有及时清运，有异味"],
    &["报修三天了还没人上门", "电梯经常停运，维修不及时", "楼道灯坏了一周没人修", "维修人员修完后没有清理现场"],
    &["楼前草坪很久没修剪", "绿化喷灌把停在路边的车淋湿了", "园区树木遮挡低层住户采光", "绿化打药没有提前通知"],
    &["前台接待人员态度生硬", "打客服电话一直无人接听", "管家答应回复的事情没有下文", "办事需要跑好几趟，效率低"],
    &["物业费收费标准不清楚，要求公示", "热水费计量有误，用量明显偏高", "智能卡补办收费不合理", "收据上金额写错"],
    &["地下车库车位被他人占用", "消防通道有车辆乱停", "车库照明太暗", "外来车辆随意进出停放"],
    &[
        "邻居装修中午也在施工，噪音太大",
        "装修垃圾堆放在楼道里",
        "装修工人在电梯里不做防护，电梯被刮花",
        "周末早上七点就开始装修",
    ],
    &["楼上漏水到我家，楼上不处理", "邻居在楼道里堆放杂物", "楼上夜里噪音扰民", "邻居家狗经常叫，影响休息"],
    &["活动通知发得太晚，很多人不知道", "希望多组织老年人活动", "网球场周末总订不到", "活动场地音响声音太大"],
    &["小区快递柜太少", "希望增加电动车充电桩", "单元门口的信报箱锁坏了", "希望园区增加休息座椅"],
];

/// Heating complaints (category 工程/维修), frequent in the heating season; `{n}` is a temperature.
pub const HEATING_COMPLAINTS: &[&str] = &[
    "暖气不热，室温只有{n}度，已经报修两次",
    "今年暖气迟迟不热，家里老人孩子受不了",
    "暖气忽冷忽热，要求查明原因",
    "楼上暖气漏水把我家顶棚泡了",
    "供暖后室温只有{n}度，要求退还部分采暖费",
];

/// The department that handles each complaint category (same order).
pub const COMPLAINT_DEPARTMENTS: [&str; 11] =
    ["保安部", "保洁部", "工程部", "绿化部", "客服部", "财务部", "保安部", "装修管理部", "客服部", "客服部", "客服部"];

/// What the department found (调查情况).
pub const INVESTIGATIONS: &[&str] = &[
    "经现场核实，情况属实",
    "调取监控核实，情况基本属实",
    "与相关人员核实，确有此事",
    "现场查看，问题已存在数日",
    "经核实，属业主误解",
];

/// What the department will do (处理意见).
pub const HANDLINGS: &[&str] = &[
    "责成责任部门限期整改，整改后由管家回访",
    "安排专人当日处理，并加强日常巡查",
    "向业主解释说明，并对相关员工进行培训",
    "协调相关业主共同解决，管家跟进",
    "纳入本月共性问题，统一公开回复",
];

/// How a complaint ended (处理结果).
pub const RESULTS: &[&str] = &[
    "已整改完毕，业主认可",
    "问题已解决，现场已清理",
    "已向业主解释清楚，业主表示理解",
    "已协调解决，双方无异议",
    "已维修完毕，运行正常",
];

/// What owners said at the follow-up visit.
pub const VISIT_OPINIONS: &[&str] =
    &["处理及时，满意", "问题解决了，希望以后注意", "基本满意", "还需要继续观察", "处理速度有待提高"];

/// Topics of 物业客服工作联系单 not arising from complaints: (to department, subject, content).
pub const LIAISONS: &[(&str, &str, &str)] = &[
    ("工程部", "公共区域维修", "单元门口台阶破损，请安排维修"),
    ("保洁部", "专项保洁", "近期交房量大，请加强大堂及电梯轿厢保洁"),
    ("保安部", "秩序协助", "周末业主活动期间请安排人员维持秩序"),
    ("绿化部", "绿化养护", "中心广场草坪斑秃，请补种"),
    ("工程部", "设备检查", "供暖前请对各单元暖井阀门进行检查"),
    ("财务部", "收费核对", "请核对本月热水续费收款明细"),
];

/// Evaluation items of 业主走访记录 (forms/08.yaml), in order.
pub const VISIT_ITEMS: [&str; 4] = ["保安（秩序维护）", "保洁（环境卫生）", "工程（维修）", "社区文化"];

/// Owners' remarks per evaluation item (same order), used with 基本满意 and 不满意.
pub const VISIT_REMARKS: [&[&str]; 4] = [
    &["夜间巡逻次数少", "外来人员登记不严", "门岗值班人员有时不在岗"],
    &["楼道地面有污渍", "垃圾清运不及时", "电梯轿厢擦拭不够"],
    &["维修响应慢", "报修后没有回访", "公共区域照明维修不及时"],
    &["活动太少", "活动通知不及时", "希望多组织亲子活动"],
];

/// Needs and suggestions owners mention during visits.
pub const VISIT_NEEDS: &[&str] = &[
    "希望增加园区夜间照明",
    "希望增设儿童游乐设施",
    "希望管家定期通报维修进度",
    "希望增加电动车充电桩",
    "建议地下车库加强通风",
    "希望组织业主邻里活动",
    "希望开通线上缴费",
    "希望增加快递柜",
];

/// Other suggestions.
pub const VISIT_OTHER: &[&str] =
    &["希望保持现在的服务水平", "建议在单元门口放置防滑垫", "希望冬季及时清雪", "建议公示维修基金使用情况"];

/// Answers given on the spot.
pub const VISIT_ANSWERS: &[&str] =
    &["已向业主说明相关规定", "当场答复，按规程执行", "已告知业主报修流程及联系电话", "已记录，待与相关部门核实后回复"];

/// How the supervisor decided to handle visit findings.
pub const VISIT_HANDLINGS: &[&str] =
    &["转工程部处理，管家跟进", "纳入月度共性问题公开回复", "上报公司研究", "由管家书面回复业主", "无需处理"];

/// Written replies (走访意见反馈书).
pub const VISIT_REPLIES: &[&str] = &[
    "经物业服务中心研究，已安排工程部在本月内完成整改，届时管家将上门告知。",
    "您反映的问题已上报公司，公司已同意列入下季度改造计划，具体时间另行通知。",
    "经核实，该问题属于开发建设遗留问题，已书面转交地产客服部处理，我们将持续跟进。",
    "感谢您的建议，物业服务中心将在园区增设相应设施，预计下月完成。",
];

/// Festivals used as visit occasions: (month, day, name).
pub const FESTIVALS: &[(u32, u32, &str)] =
    &[(1, 1, "元旦"), (5, 1, "劳动节"), (6, 1, "儿童节"), (10, 1, "国庆节"), (12, 25, "圣诞节")];

/// Inspection items of 品质检查记录表 (forms/10.yaml) with where they are checked, the
/// department inspected, a passing note, failing notes and the rectification demanded.
pub struct CheckItem {
    /// The option of forms/10.yaml.
    pub item: &'static str,
    /// Where it is checked.
    pub areas: &'static [&'static str],
    /// The department inspected.
    pub department: &'static str,
    /// What a passing check says.
    pub ok: &'static str,
    /// What failing checks say.
    pub faults: &'static [&'static str],
    /// The rectification demanded.
    pub requirement: &'static str,
}

/// All inspection items, in the order of the form's options.
pub const CHECK_ITEMS: &[CheckItem] = &[
    CheckItem {
        item: "公共卫生/秩序/交通道路",
        areas: &["园区主干道", "东门岗", "中心广场", "南门广场"],
        department: "保安部",
        ok: "道路畅通，卫生良好，岗位人员在岗",
        faults: &["园区主干道有车辆违停，影响通行", "中心广场有烟头纸屑未清扫", "东门岗值班人员脱岗"],
        requirement: "立即清理，加强巡查频次",
    },
    CheckItem {
        item: "标识系统",
        areas: &["园区导视牌", "地下车库指示牌", "单元门牌"],
        department: "工程部",
        ok: "标识完整清晰",
        faults: &["地下车库出口指示牌脱落", "单元门牌字迹褪色", "消防通道标识被遮挡"],
        requirement: "三日内修复或更换",
    },
    CheckItem {
        item: "公共设备设施及记录",
        areas: &["水泵房", "配电室", "电梯机房", "消防控制室", "换热站"],
        department: "工程部",
        ok: "设备运行正常，巡检记录完整",
        faults: &["水泵房巡检记录缺少两日签字", "配电室应急灯不亮", "换热站运行记录填写不全"],
        requirement: "补齐记录，修复设施，按时巡检",
    },
    CheckItem {
        item: "接待台",
        areas: &["客服前台", "大堂接待台"],
        department: "客服部",
        ok: "台面整洁，记录填写完整，员工着装规范",
        faults: &["前台接待记录填写不完整", "值班人员未佩戴工牌", "台面摆放杂物"],
        requirement: "立即整改，按服务规范执行",
    },
    CheckItem {
        item: "商场卫生",
        areas: &["1层商场通道", "商场卫生间", "2层商场中庭"],
        department: "保洁部",
        ok: "卫生良好",
        faults: &["商场卫生间地面有积水", "商场通道垃圾桶满溢", "中庭玻璃有污渍"],
        requirement: "当日清理完毕，增加巡查保洁次数",
    },
    CheckItem {
        item: "地下车场",
        areas: &["地下车库B1", "地下车库B2"],
        department: "保安部",
        ok: "卫生良好，车辆停放有序，设施完好",
        faults: &["B1车库有车辆跨线停放", "车库排水沟有积水杂物", "B2车库照明灯不亮"],
        requirement: "限期整改，加强车场巡查",
    },
    CheckItem {
        item: "部门资料归档",
        areas: &["客服部资料室", "工程部资料柜", "保安部值班室"],
        department: "客服部",
        ok: "资料按期归档，记录齐全",
        faults: &["工程部维修单未按月装订归档", "保安部交接班记录缺页", "走访记录未及时汇总"],
        requirement: "三日内补齐归档",
    },
    CheckItem {
        item: "商场封堵",
        areas: &["1-4层商场与住宅连接处", "商场消防通道"],
        department: "工程部",
        ok: "封堵完好",
        faults: &["3层商场与住宅连廊封堵门未锁闭", "2层封堵板松动"],
        requirement: "立即恢复封堵，每日检查",
    },
];

/// Supervisors of the other departments, by department (fictional names are drawn for them).
pub const OTHER_DEPARTMENTS: &[&str] = &["保安部", "保洁部", "工程部", "绿化部", "装修管理部", "财务部"];

/// Community activities by month (1–12): (name, venue, content).
pub const ACTIVITIES: [&[(&str, &str, &str)]; 12] = [
    &[
        ("迎新春联欢会", "会所多功能厅", "业主自编节目表演、抽奖"),
        ("元旦写春联送福字", "物业服务中心", "书法爱好者现场写春联赠送业主"),
    ],
    &[
        ("元宵节猜灯谜", "中心广场", "悬挂灯谜三百条，猜中领取小礼品"),
        ("春节送福进万家", "各单元大堂", "管家上门送福字、春联"),
    ],
    &[
        ("学雷锋志愿服务日", "南门广场", "免费理发、量血压、磨剪刀"),
        ("三八妇女节插花", "会所多功能厅", "插花老师现场教学"),
    ],
    &[
        ("春季植树活动", "园区绿地", "业主认养树木并挂牌"),
        ("文明养犬宣传", "中心广场", "发放养犬须知，免费狂犬疫苗咨询"),
    ],
    &[("网球友谊赛", "网球场", "业主双打友谊赛"), ("劳动节业主健步走", "园区环路", "绕园区健步走三圈")],
    &[
        ("六一儿童节亲子游园", "中心广场", "亲子游戏、手工制作"),
        ("端午节包粽子", "会所多功能厅", "业主与员工一起包粽子"),
    ],
    &[("消夏纳凉晚会", "中心广场", "歌舞表演、业主才艺展示"), ("少儿绘画比赛", "会所多功能厅", "以美丽家园为主题绘画")],
    &[("夏季露天电影", "中心广场", "放映家庭影片两部"), ("七夕手工活动", "会所多功能厅", "手工编织、香包制作")],
    &[
        ("中秋节做月饼", "会所多功能厅", "烘焙老师指导业主制作月饼"),
        ("教师节感恩活动", "物业服务中心", "为园区教师业主送花"),
    ],
    &[
        ("国庆升旗仪式", "南门广场", "升国旗、唱国歌、合影"),
        ("重阳节敬老茶话会", "会所多功能厅", "为七十岁以上老人祝寿"),
    ],
    &[
        ("消防安全演练", "中心广场", "灭火器使用演示、疏散演练"),
        ("冬季供暖知识讲座", "会所多功能厅", "讲解暖气排气、节能常识"),
    ],
    &[("冬至包饺子", "会所多功能厅", "业主与员工一起包饺子"), ("冰雪嘉年华", "中心广场", "堆雪人比赛、冰上游戏")],
];

/// Departments that help with activities.
pub const HELPERS: &[&str] = &["保安部、保洁部", "工程部、保安部", "保洁部", "保安部、工程部、保洁部"];

/// Safety measures written for activities.
pub const SAFETY: &[&str] = &[
    "安排保安4名维持秩序，保持消防通道畅通",
    "设置安全警戒线，配备灭火器及急救箱",
    "活动前检查电源线路，专人看护儿童区域",
];

/// Activity summaries.
pub const SUMMARIES: &[&str] = &[
    "活动气氛热烈，业主参与积极，反响良好",
    "活动按计划完成，业主建议今后多举办",
    "参加人数较往年增加，现场秩序良好",
    "活动顺利，个别环节时间偏长，下次改进",
];

/// Evidence kept after an activity (items of forms/31.yaml): (item, note).
pub const EVIDENCE: &[(&str, &str)] = &[
    ("活动通知", "已留存，张贴稿1份"),
    ("活动安排", "已留存，方案1份"),
    ("照片", "已留存，电子版存客服部电脑"),
    ("新闻报道", "已留存，公司内刊1篇"),
];

/// Internal documents by category of forms/06.yaml: (category, issuer, title, number prefix).
/// `{m}` is replaced by a month number, `{b}` by a building number.
pub const DOCUMENTS: &[(&str, &str, &str, &str)] = &[
    ("地产工作联系函", "地产客服部", "关于{b}号楼外墙渗漏返修的工作联系函", "地王地产函"),
    ("地产工作联系函", "地产客服部", "关于交房遗留问题整改的联系函", "地王地产函"),
    ("地产工作联系函", "地产工程部", "关于地下车库车位交付的联系函", "地王地产函"),
    ("上级主管部门文件", "沈阳市房产局", "关于做好冬季供暖工作的通知", "沈房发"),
    ("上级主管部门文件", "浑南区住房和城乡建设局", "关于开展住宅小区消防安全检查的通知", "浑住建发"),
    ("上级主管部门文件", "沈阳银基物业有限公司", "关于开展物业服务质量检查的通知", "银基物业发"),
    ("行业法律法规", "辽宁省人大常委会", "辽宁省物业管理条例", "辽人常公告"),
    ("行业法律法规", "沈阳市人大常委会", "沈阳市物业管理条例", "沈人常公告"),
    ("规章制度", "管理中心", "客服部员工考勤管理制度", "地王管"),
    ("规章制度", "管理中心", "前台接待服务规范", "地王管"),
    ("通知通报", "管理中心", "关于{m}月份停水检修的通知", "地王管通"),
    ("通知通报", "管理中心", "关于表彰{m}月份优秀员工的通报", "地王管通"),
    ("会议纪要", "管理中心", "{m}月份客服部例会纪要", "地王纪要"),
    ("会议纪要", "管理中心", "交房工作协调会纪要", "地王纪要"),
    ("计划总结", "客服部", "{m}月份工作计划", "地王客计"),
    ("计划总结", "客服部", "{m}月份工作总结", "地王客计"),
    ("其他", "客服部", "业主满意度调查报告", "地王客"),
];

/// Distribution of documents (传达范围).
pub const DISTRIBUTIONS: &[&str] = &["客服部全体", "管理中心各部门", "客服主管、亲情管家", "各部门负责人", "存档备查"];

/// Seal uses: (department, document, purpose, seal type).
pub const SEAL_USES: &[(&str, &str, &str, &str)] = &[
    ("客服部", "业主入住证明", "业主办理户籍迁入", "公章"),
    ("客服部", "业主入住证明", "业主办理燃气开户", "公章"),
    ("客服部", "装修许可证", "业主装修施工", "部门章"),
    ("客服部", "工作联系函", "对地产客服部发函", "部门章"),
    ("客服部", "停水停电通知", "张贴通知", "部门章"),
    ("客服部", "房屋租赁合同", "代理出租签约", "合同专用章"),
    ("工程部", "维修材料采购申请", "采购审批", "部门章"),
    ("财务部", "热水续费收据", "业主续费", "财务专用章"),
    ("综合办", "员工在职证明", "员工办理贷款", "公章"),
    ("综合办", "物业服务合同", "合同签订", "合同专用章"),
];

/// What archive borrowers take and why: (department, content, reason, mode, renovation).
pub const BORROWINGS: &[(&str, &str, &str, &str, bool)] = &[
    ("装修管理部", "业主自然情况登记表", "签订装修管理协议，核对业主信息", "查阅", true),
    ("装修管理部", "购房合同复印件", "签订装修管理协议", "复印", true),
    ("工程部", "房屋验收单", "核对验房遗留问题", "复印", false),
    ("工程部", "户型图", "查看户内管线走向", "借出", false),
    ("财务部", "入住手续", "核对入住缴费情况", "查阅", false),
    ("保安部", "业主自然情况登记表", "核实来访人员身份", "查阅", false),
    ("客服部", "业主自然情况登记表", "更新业主联系方式", "查阅", false),
];

/// Key loan purposes: (reason option, department, location kind).
pub const KEY_LOANS: &[(&str, &str)] = &[
    ("房屋维修", "工程部"),
    ("保洁空置房", "保洁部"),
    ("空置房施工", "地产工程部"),
    ("突发事件", "保安部"),
    ("部门领用", "工程部"),
];

/// Equipment rooms whose keys the department keeps.
pub const EQUIPMENT_ROOMS: &[&str] = &["水泵房", "配电室", "电梯机房", "暖井", "楼顶检修门"];

/// Why keys were copied.
pub const KEY_COPY_REASONS: &[&str] =
    &["原钥匙磨损严重", "工程部日常巡检需要增配", "保洁部清扫需要", "钥匙丢失后补配", "新增设备间门锁"];

/// How keys got lost and what was done: (cause, remedy).
pub const KEY_LOSSES: &[(&str, &str)] = &[
    ("保洁员清扫空置房后钥匙遗失", "更换锁芯，原钥匙作废"),
    ("维修人员借用后丢失", "查看监控，限期找回"),
    ("交接班时未找到", "重新配置并登记"),
    ("巡检途中遗失", "更换锁芯，加强钥匙交接管理"),
];

/// Smart-card matters of forms/27.yaml with a typical reason.
pub const CARD_MATTERS: &[(&str, &str)] = &[
    ("增加", "家中增加人员，申请增加一张"),
    ("挂失注销", "业主不慎遗失，挂失后补办新卡"),
    ("补办", "卡片损坏无法使用"),
    ("失效处理", "刷卡无反应，重新授权"),
    ("装修人员卡", "装修施工人员临时出入"),
    ("交回", "租户退租交回"),
];

/// Deposit categories of forms/14.yaml with descriptions.
pub const DEPOSITS: &[(&str, &[&str])] = &[
    ("邮件", &["EMS文件袋", "顺丰文件封"]),
    ("信件", &["银行信用卡账单", "挂号信", "法院传票信封"]),
    ("包裹", &["快递纸箱（中）", "快递纸箱（小）", "生鲜泡沫箱", "快递编织袋"]),
    ("钥匙等小件", &["入户门钥匙2把（信封封存）", "车钥匙1把（信封封存）", "银行卡1张（信封封存）"]),
    ("其他物品", &["装修图纸一卷", "绿植一盆", "干洗衣物一袋", "自行车配件一箱"]),
];

/// Waybill prefixes of courier companies.
pub const COURIERS: &[&str] = &["SF", "YT", "ZTO", "JD", "STO"];

/// Inspection notes per item of 验房单 (forms/03.yaml); same order as its `items`.
pub const INSPECTION_NOTES: &[&[&str]] = &[
    &["门锁开启不顺", "门扇划伤"],
    &["可视对讲无图像", "门铃不响"],
    &["墙面裂缝", "顶棚有水渍"],
    &["地面空鼓", "地面起砂"],
    &["阳台窗关闭不严", "窗框打胶不均"],
    &["墙面裂缝", "墙面污染"],
    &["地面空鼓"],
    &["窗扇变形", "纱窗缺失"],
    &["墙砖空鼓", "地砖破损"],
    &["窗户关闭不严"],
    &["下水不畅", "燃气表未安装"],
    &["墙砖空鼓", "地面坡度不对，积水"],
    &["门框变形"],
    &["马桶漏水", "地漏堵塞"],
    &["渗漏"],
    &["插座无电", "配电箱缺盖板"],
    &["网络口不通"],
    &["暖气片阀门滴水", "暖气片未安装"],
    &["热水表无读数", "电表铅封缺失"],
];

/// Rental layouts by upper area bound in ㎡ (two decimals shown after them).
pub const LAYOUTS: &[(u32, &str)] = &[(70, "一室一厅"), (95, "两室一厅"), (125, "三室一厅"), (u32::MAX, "三室两厅")];

/// Why an owner who moved in has not paid, as told at the 询问 (催缴记录 欠费原因).
pub const ARREARS_REASONS: &[&str] = &[
    "对维修不满意",
    "经济困难",
    "房屋空置",
    "联系不上",
    "出差在外，暂未缴纳",
    "认为物业费偏高",
    "对保洁服务不满意",
    "房屋出租，租户未交",
    "家中有事，承诺月底前缴清",
    "对停车管理有意见",
];

/// Why an owner who never moved in has not paid.
pub const VACANT_REASONS: &[&str] =
    &["房屋空置，未办理入住", "联系不上", "业主在外地，暂未收房", "对交房质量有异议，拒绝收房"];

/// What owners object to in a 质量异议 (二.2), with where it was passed on.
pub const OBJECTIONS: &[&str] = &[
    "卫生间顶棚渗水，报修后仍未修好",
    "楼道照明损坏多日未修",
    "外墙渗水，卧室墙面发霉",
    "电梯频繁故障，影响出行",
    "单元门禁损坏一周未修",
    "地下车库积水未处理",
    "窗户密封条老化漏风，报修未处理",
    "楼道垃圾清运不及时",
];

/// What the department notes on a phone 询问 nobody answered.
pub const NO_ANSWER: &str = "电话无人接听，已发短信提醒";

/// The court the department files in (沈河区), for 立案 case numbers.
pub const COURT_CODE: &str = "辽0103";

/// Who signs the sample's 律师函 (rules.dunning.counsel): a made-up firm and lawyer.
pub const COUNSEL: &str = "辽宁正衡律师事务所 李振国律师";

/// The service centre's phone printed on letters (rules.dunning.phone): a made-up number.
pub const SERVICE_PHONE: &str = "024-2251 6000";
