/** A name part: kanji, katakana reading, Hepburn romanisation (for e-mail handles). */
export type NamePart = readonly [kanji: string, kana: string, romaji: string];

/** Common Japanese surnames, roughly by frequency (the generator favours the front of the list). */
export const FAMILY_NAMES: readonly NamePart[] = [
  ['佐藤', 'サトウ', 'sato'], ['鈴木', 'スズキ', 'suzuki'], ['高橋', 'タカハシ', 'takahashi'], ['田中', 'タナカ', 'tanaka'],
  ['伊藤', 'イトウ', 'ito'], ['渡辺', 'ワタナベ', 'watanabe'], ['山本', 'ヤマモト', 'yamamoto'], ['中村', 'ナカムラ', 'nakamura'],
  ['小林', 'コバヤシ', 'kobayashi'], ['加藤', 'カトウ', 'kato'], ['吉田', 'ヨシダ', 'yoshida'], ['山田', 'ヤマダ', 'yamada'],
  ['佐々木', 'ササキ', 'sasaki'], ['山口', 'ヤマグチ', 'yamaguchi'], ['松本', 'マツモト', 'matsumoto'], ['井上', 'イノウエ', 'inoue'],
  ['木村', 'キムラ', 'kimura'], ['林', 'ハヤシ', 'hayashi'], ['斎藤', 'サイトウ', 'saito'], ['清水', 'シミズ', 'shimizu'],
  ['山崎', 'ヤマザキ', 'yamazaki'], ['森', 'モリ', 'mori'], ['池田', 'イケダ', 'ikeda'], ['橋本', 'ハシモト', 'hashimoto'],
  ['阿部', 'アベ', 'abe'], ['石川', 'イシカワ', 'ishikawa'], ['山下', 'ヤマシタ', 'yamashita'], ['中島', 'ナカジマ', 'nakajima'],
  ['石井', 'イシイ', 'ishii'], ['小川', 'オガワ', 'ogawa'], ['前田', 'マエダ', 'maeda'], ['岡田', 'オカダ', 'okada'],
  ['長谷川', 'ハセガワ', 'hasegawa'], ['藤田', 'フジタ', 'fujita'], ['後藤', 'ゴトウ', 'goto'], ['近藤', 'コンドウ', 'kondo'],
  ['村上', 'ムラカミ', 'murakami'], ['遠藤', 'エンドウ', 'endo'], ['青木', 'アオキ', 'aoki'], ['坂本', 'サカモト', 'sakamoto'],
  ['斉藤', 'サイトウ', 'saito'], ['福田', 'フクダ', 'fukuda'], ['太田', 'オオタ', 'ota'], ['西村', 'ニシムラ', 'nishimura'],
  ['藤井', 'フジイ', 'fujii'], ['金子', 'カネコ', 'kaneko'], ['岡本', 'オカモト', 'okamoto'], ['藤原', 'フジワラ', 'fujiwara'],
  ['中野', 'ナカノ', 'nakano'], ['三浦', 'ミウラ', 'miura'], ['原田', 'ハラダ', 'harada'], ['中川', 'ナカガワ', 'nakagawa'],
  ['松田', 'マツダ', 'matsuda'], ['竹内', 'タケウチ', 'takeuchi'], ['小野', 'オノ', 'ono'], ['田村', 'タムラ', 'tamura'],
  ['中山', 'ナカヤマ', 'nakayama'], ['和田', 'ワダ', 'wada'], ['石田', 'イシダ', 'ishida'], ['森田', 'モリタ', 'morita'],
  ['上田', 'ウエダ', 'ueda'], ['原', 'ハラ', 'hara'], ['柴田', 'シバタ', 'shibata'], ['酒井', 'サカイ', 'sakai'],
  ['工藤', 'クドウ', 'kudo'], ['横山', 'ヨコヤマ', 'yokoyama'], ['宮崎', 'ミヤザキ', 'miyazaki'], ['宮本', 'ミヤモト', 'miyamoto'],
  ['内田', 'ウチダ', 'uchida'], ['高木', 'タカギ', 'takagi'], ['安藤', 'アンドウ', 'ando'], ['谷口', 'タニグチ', 'taniguchi'],
  ['大野', 'オオノ', 'ono'], ['丸山', 'マルヤマ', 'maruyama'], ['今井', 'イマイ', 'imai'], ['河野', 'コウノ', 'kono'],
  ['藤本', 'フジモト', 'fujimoto'], ['村田', 'ムラタ', 'murata'], ['武田', 'タケダ', 'takeda'], ['上野', 'ウエノ', 'ueno'],
];

export const FEMALE_GIVEN_NAMES: readonly NamePart[] = [
  ['花子', 'ハナコ', 'hanako'], ['陽菜', 'ヒナ', 'hina'], ['結衣', 'ユイ', 'yui'], ['さくら', 'サクラ', 'sakura'],
  ['美咲', 'ミサキ', 'misaki'], ['葵', 'アオイ', 'aoi'], ['凛', 'リン', 'rin'], ['芽依', 'メイ', 'mei'],
  ['結菜', 'ユイナ', 'yuina'], ['莉子', 'リコ', 'riko'], ['美優', 'ミユ', 'miyu'], ['愛', 'アイ', 'ai'],
  ['彩', 'アヤ', 'aya'], ['真由美', 'マユミ', 'mayumi'], ['恵', 'メグミ', 'megumi'], ['裕子', 'ユウコ', 'yuko'],
  ['久美子', 'クミコ', 'kumiko'], ['由美', 'ユミ', 'yumi'], ['智子', 'トモコ', 'tomoko'], ['陽子', 'ヨウコ', 'yoko'],
  ['直美', 'ナオミ', 'naomi'], ['明美', 'アケミ', 'akemi'], ['香織', 'カオリ', 'kaori'], ['麻衣', 'マイ', 'mai'],
  ['千尋', 'チヒロ', 'chihiro'], ['舞', 'マイ', 'mai'], ['楓', 'カエデ', 'kaede'], ['七海', 'ナナミ', 'nanami'],
  ['美穂', 'ミホ', 'miho'], ['彩花', 'アヤカ', 'ayaka'], ['菜々子', 'ナナコ', 'nanako'], ['奈々', 'ナナ', 'nana'],
  ['理恵', 'リエ', 'rie'], ['沙織', 'サオリ', 'saori'], ['優子', 'ユウコ', 'yuko'], ['杏', 'アン', 'an'],
  ['紗希', 'サキ', 'saki'], ['遥', 'ハルカ', 'haruka'], ['美月', 'ミヅキ', 'mizuki'], ['友美', 'トモミ', 'tomomi'],
  ['純子', 'ジュンコ', 'junko'], ['幸子', 'サチコ', 'sachiko'], ['絵美', 'エミ', 'emi'], ['麻美', 'アサミ', 'asami'],
  ['亜美', 'アミ', 'ami'], ['真央', 'マオ', 'mao'], ['里奈', 'リナ', 'rina'], ['玲奈', 'レナ', 'rena'],
];

export const MALE_GIVEN_NAMES: readonly NamePart[] = [
  ['太郎', 'タロウ', 'taro'], ['翔太', 'ショウタ', 'shota'], ['大輔', 'ダイスケ', 'daisuke'], ['健太', 'ケンタ', 'kenta'],
  ['拓也', 'タクヤ', 'takuya'], ['蓮', 'レン', 'ren'], ['湊', 'ミナト', 'minato'], ['陽翔', 'ハルト', 'haruto'],
  ['大和', 'ヤマト', 'yamato'], ['悠真', 'ユウマ', 'yuma'], ['颯太', 'ソウタ', 'sota'], ['一郎', 'イチロウ', 'ichiro'],
  ['誠', 'マコト', 'makoto'], ['浩', 'ヒロシ', 'hiroshi'], ['健一', 'ケンイチ', 'kenichi'], ['隆', 'タカシ', 'takashi'],
  ['直樹', 'ナオキ', 'naoki'], ['和也', 'カズヤ', 'kazuya'], ['亮', 'リョウ', 'ryo'], ['達也', 'タツヤ', 'tatsuya'],
  ['雄太', 'ユウタ', 'yuta'], ['悠斗', 'ユウト', 'yuto'], ['翼', 'ツバサ', 'tsubasa'], ['大樹', 'ダイキ', 'daiki'],
  ['海斗', 'カイト', 'kaito'], ['拓海', 'タクミ', 'takumi'], ['陸', 'リク', 'riku'], ['蒼', 'アオイ', 'aoi'],
  ['樹', 'イツキ', 'itsuki'], ['健', 'ケン', 'ken'], ['修', 'オサム', 'osamu'], ['学', 'マナブ', 'manabu'],
  ['聡', 'サトシ', 'satoshi'], ['剛', 'ツヨシ', 'tsuyoshi'], ['光', 'ヒカル', 'hikaru'], ['秀樹', 'ヒデキ', 'hideki'],
  ['慎也', 'シンヤ', 'shinya'], ['哲也', 'テツヤ', 'tetsuya'], ['賢治', 'ケンジ', 'kenji'], ['翔', 'ショウ', 'sho'],
  ['圭介', 'ケイスケ', 'keisuke'], ['浩二', 'コウジ', 'koji'], ['康介', 'コウスケ', 'kosuke'], ['雅人', 'マサト', 'masato'],
  ['洋平', 'ヨウヘイ', 'yohei'], ['優斗', 'ユウト', 'yuto'], ['航', 'ワタル', 'wataru'], ['俊介', 'シュンスケ', 'shunsuke'],
];

/** ASCII words for e-mail handles that are not derived from the name. */
export const HANDLE_WORDS: readonly string[] = [
  'sora', 'umi', 'hoshi', 'kaze', 'yuki', 'hana', 'tsuki', 'midori', 'neko', 'inu', 'tori', 'mori',
  'kawa', 'momo', 'ringo', 'mikan', 'sakana', 'kumo', 'niji', 'coffee', 'matcha', 'jazz', 'camp',
  'run', 'film', 'book', 'blue', 'green', 'sunny', 'night', 'ocean', 'forest', 'panda', 'usagi',
];
