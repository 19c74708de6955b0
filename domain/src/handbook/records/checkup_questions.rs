//! The yes/no questions of the parent's record (保護者の記録) for each checkup age, worded
//! after the national form's (母子保健法施行規則 様式第3号; a ward may reword them), in
//! Japanese and English. An answer is stored under the question's id, so rewording a
//! question keeps the answers. Dated milestones (首すわり…) are `checkups::Milestone`; `CheckupAge::questions` gives
//! each age its list.

/// One question: its stable id and its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    pub id: &'static str,
    pub ja: &'static str,
    pub en: &'static str,
}

const fn q(id: &'static str, ja: &'static str, en: &'static str) -> Question {
    Question { id, ja, en }
}

pub const MONTH1: &[Question] = &[
    q(
        "m1_moves",
        "裸にすると手足をよく動かしますか。",
        "When undressed, does your baby move arms and legs well?",
    ),
    q(
        "m1_feeds",
        "お乳をよく飲みますか。",
        "Does your baby feed well?",
    ),
    q(
        "m1_startle",
        "大きな音にビクッと手足を伸ばしたり、泣き出すことがありますか。",
        "Does a loud noise make your baby startle or cry?",
    ),
];
pub const MONTHS3: &[Question] = &[
    q(
        "m3_smile",
        "あやすとよく笑いますか。",
        "Does your baby smile when you play?",
    ),
    q(
        "m3_voice",
        "見えない方向から声をかけると、そちらの方を見ようとしますか。",
        "When you call from out of sight, does your baby look towards you?",
    ),
    q(
        "m3_advice",
        "子育てについて気軽に相談できる人はいますか。",
        "Do you have someone to talk to about raising your child?",
    ),
];
pub const MONTHS6: &[Question] = &[
    q(
        "m6_reach",
        "からだのそばにあるおもちゃに手をのばしてつかみますか。",
        "Does your baby reach for and grab a toy nearby?",
    ),
    q(
        "m6_babble",
        "家族と一緒にいるとき、話しかけるような声を出しますか。",
        "With the family, does your baby make sounds as if talking?",
    ),
    q(
        "m6_sound",
        "テレビやラジオの音がしはじめると、すぐそちらを見ますか。",
        "When the TV or radio starts, does your baby look towards it?",
    ),
];
pub const MONTHS9: &[Question] = &[
    q(
        "m9_pinch",
        "指で、小さい物をつまみますか。",
        "Does your baby pick up small things with the fingers?",
    ),
    q(
        "m9_name",
        "離れた所から呼ぶと、振り向きますか。",
        "Does your baby turn when called from across the room?",
    ),
    q(
        "m9_follow",
        "後追いをしますか。",
        "Does your baby follow you when you leave?",
    ),
];
pub const YEAR1: &[Question] = &[
    q(
        "y1_gesture",
        "バイバイ、コンニチハなどの身振りをしますか。",
        "Does your child wave bye-bye or make similar gestures?",
    ),
    q(
        "y1_words",
        "大人の言う簡単な言葉（おいで、ちょうだいなど）がわかりますか。",
        "Does your child understand simple words (come here, give me)?",
    ),
];
pub const YEAR1M6: &[Question] = &[
    q(
        "y1m6_words",
        "ママ、ブーブーなど意味のあることばをいくつか話しますか。",
        "Does your child say a few words with meaning (mama, car)?",
    ),
    q(
        "y1m6_cup",
        "自分でコップを持って水を飲めますか。",
        "Can your child drink from a cup held alone?",
    ),
    q(
        "y1m6_book",
        "絵本を読んでもらいたがりますか。",
        "Does your child want to be read picture books?",
    ),
];
pub const YEARS2: &[Question] = &[
    q("y2_run", "走ることができますか。", "Can your child run?"),
    q(
        "y2_spoon",
        "スプーンを使って自分で食べますか。",
        "Does your child eat with a spoon alone?",
    ),
    q(
        "y2_two_words",
        "2語文（ワンワン キタ、マンマ チョウダイなど）を言いますか。",
        "Does your child put two words together (doggy come, more food)?",
    ),
];
pub const YEARS3: &[Question] = &[
    q(
        "y3_stairs",
        "手を使わずにひとりで階段をのぼれますか。",
        "Can your child climb stairs alone without using the hands?",
    ),
    q(
        "y3_circle",
        "クレヨンなどで丸（円）を書きますか。",
        "Does your child draw a circle with a crayon?",
    ),
    q(
        "y3_name",
        "自分の名前が言えますか。",
        "Can your child say their own name?",
    ),
];
pub const YEARS4: &[Question] = &[
    q(
        "y4_hop",
        "片足でケンケンをしてとべますか。",
        "Can your child hop on one foot?",
    ),
    q(
        "y4_dress",
        "自分で服の着脱ができますか。",
        "Can your child put on and take off clothes alone?",
    ),
];
pub const YEARS5: &[Question] = &[q(
    "y5_tell",
    "自分の経験したことを、親にわかるように話せますか。",
    "Can your child tell you clearly about something that happened?",
)];
pub const YEARS6: &[Question] = &[q(
    "y6_rules",
    "ルールを守って友達と遊べますか。",
    "Does your child play with friends following the rules?",
)];
