// 197 functions give the root stack 201 parameters: CloudFormation allows 200.
#[amplify_runtime::backend]
mod backend {
    #[function(runtime = rust(package = "f0"))]
    pub struct F0;
    #[function(runtime = rust(package = "f1"))]
    pub struct F1;
    #[function(runtime = rust(package = "f2"))]
    pub struct F2;
    #[function(runtime = rust(package = "f3"))]
    pub struct F3;
    #[function(runtime = rust(package = "f4"))]
    pub struct F4;
    #[function(runtime = rust(package = "f5"))]
    pub struct F5;
    #[function(runtime = rust(package = "f6"))]
    pub struct F6;
    #[function(runtime = rust(package = "f7"))]
    pub struct F7;
    #[function(runtime = rust(package = "f8"))]
    pub struct F8;
    #[function(runtime = rust(package = "f9"))]
    pub struct F9;
    #[function(runtime = rust(package = "f10"))]
    pub struct F10;
    #[function(runtime = rust(package = "f11"))]
    pub struct F11;
    #[function(runtime = rust(package = "f12"))]
    pub struct F12;
    #[function(runtime = rust(package = "f13"))]
    pub struct F13;
    #[function(runtime = rust(package = "f14"))]
    pub struct F14;
    #[function(runtime = rust(package = "f15"))]
    pub struct F15;
    #[function(runtime = rust(package = "f16"))]
    pub struct F16;
    #[function(runtime = rust(package = "f17"))]
    pub struct F17;
    #[function(runtime = rust(package = "f18"))]
    pub struct F18;
    #[function(runtime = rust(package = "f19"))]
    pub struct F19;
    #[function(runtime = rust(package = "f20"))]
    pub struct F20;
    #[function(runtime = rust(package = "f21"))]
    pub struct F21;
    #[function(runtime = rust(package = "f22"))]
    pub struct F22;
    #[function(runtime = rust(package = "f23"))]
    pub struct F23;
    #[function(runtime = rust(package = "f24"))]
    pub struct F24;
    #[function(runtime = rust(package = "f25"))]
    pub struct F25;
    #[function(runtime = rust(package = "f26"))]
    pub struct F26;
    #[function(runtime = rust(package = "f27"))]
    pub struct F27;
    #[function(runtime = rust(package = "f28"))]
    pub struct F28;
    #[function(runtime = rust(package = "f29"))]
    pub struct F29;
    #[function(runtime = rust(package = "f30"))]
    pub struct F30;
    #[function(runtime = rust(package = "f31"))]
    pub struct F31;
    #[function(runtime = rust(package = "f32"))]
    pub struct F32;
    #[function(runtime = rust(package = "f33"))]
    pub struct F33;
    #[function(runtime = rust(package = "f34"))]
    pub struct F34;
    #[function(runtime = rust(package = "f35"))]
    pub struct F35;
    #[function(runtime = rust(package = "f36"))]
    pub struct F36;
    #[function(runtime = rust(package = "f37"))]
    pub struct F37;
    #[function(runtime = rust(package = "f38"))]
    pub struct F38;
    #[function(runtime = rust(package = "f39"))]
    pub struct F39;
    #[function(runtime = rust(package = "f40"))]
    pub struct F40;
    #[function(runtime = rust(package = "f41"))]
    pub struct F41;
    #[function(runtime = rust(package = "f42"))]
    pub struct F42;
    #[function(runtime = rust(package = "f43"))]
    pub struct F43;
    #[function(runtime = rust(package = "f44"))]
    pub struct F44;
    #[function(runtime = rust(package = "f45"))]
    pub struct F45;
    #[function(runtime = rust(package = "f46"))]
    pub struct F46;
    #[function(runtime = rust(package = "f47"))]
    pub struct F47;
    #[function(runtime = rust(package = "f48"))]
    pub struct F48;
    #[function(runtime = rust(package = "f49"))]
    pub struct F49;
    #[function(runtime = rust(package = "f50"))]
    pub struct F50;
    #[function(runtime = rust(package = "f51"))]
    pub struct F51;
    #[function(runtime = rust(package = "f52"))]
    pub struct F52;
    #[function(runtime = rust(package = "f53"))]
    pub struct F53;
    #[function(runtime = rust(package = "f54"))]
    pub struct F54;
    #[function(runtime = rust(package = "f55"))]
    pub struct F55;
    #[function(runtime = rust(package = "f56"))]
    pub struct F56;
    #[function(runtime = rust(package = "f57"))]
    pub struct F57;
    #[function(runtime = rust(package = "f58"))]
    pub struct F58;
    #[function(runtime = rust(package = "f59"))]
    pub struct F59;
    #[function(runtime = rust(package = "f60"))]
    pub struct F60;
    #[function(runtime = rust(package = "f61"))]
    pub struct F61;
    #[function(runtime = rust(package = "f62"))]
    pub struct F62;
    #[function(runtime = rust(package = "f63"))]
    pub struct F63;
    #[function(runtime = rust(package = "f64"))]
    pub struct F64;
    #[function(runtime = rust(package = "f65"))]
    pub struct F65;
    #[function(runtime = rust(package = "f66"))]
    pub struct F66;
    #[function(runtime = rust(package = "f67"))]
    pub struct F67;
    #[function(runtime = rust(package = "f68"))]
    pub struct F68;
    #[function(runtime = rust(package = "f69"))]
    pub struct F69;
    #[function(runtime = rust(package = "f70"))]
    pub struct F70;
    #[function(runtime = rust(package = "f71"))]
    pub struct F71;
    #[function(runtime = rust(package = "f72"))]
    pub struct F72;
    #[function(runtime = rust(package = "f73"))]
    pub struct F73;
    #[function(runtime = rust(package = "f74"))]
    pub struct F74;
    #[function(runtime = rust(package = "f75"))]
    pub struct F75;
    #[function(runtime = rust(package = "f76"))]
    pub struct F76;
    #[function(runtime = rust(package = "f77"))]
    pub struct F77;
    #[function(runtime = rust(package = "f78"))]
    pub struct F78;
    #[function(runtime = rust(package = "f79"))]
    pub struct F79;
    #[function(runtime = rust(package = "f80"))]
    pub struct F80;
    #[function(runtime = rust(package = "f81"))]
    pub struct F81;
    #[function(runtime = rust(package = "f82"))]
    pub struct F82;
    #[function(runtime = rust(package = "f83"))]
    pub struct F83;
    #[function(runtime = rust(package = "f84"))]
    pub struct F84;
    #[function(runtime = rust(package = "f85"))]
    pub struct F85;
    #[function(runtime = rust(package = "f86"))]
    pub struct F86;
    #[function(runtime = rust(package = "f87"))]
    pub struct F87;
    #[function(runtime = rust(package = "f88"))]
    pub struct F88;
    #[function(runtime = rust(package = "f89"))]
    pub struct F89;
    #[function(runtime = rust(package = "f90"))]
    pub struct F90;
    #[function(runtime = rust(package = "f91"))]
    pub struct F91;
    #[function(runtime = rust(package = "f92"))]
    pub struct F92;
    #[function(runtime = rust(package = "f93"))]
    pub struct F93;
    #[function(runtime = rust(package = "f94"))]
    pub struct F94;
    #[function(runtime = rust(package = "f95"))]
    pub struct F95;
    #[function(runtime = rust(package = "f96"))]
    pub struct F96;
    #[function(runtime = rust(package = "f97"))]
    pub struct F97;
    #[function(runtime = rust(package = "f98"))]
    pub struct F98;
    #[function(runtime = rust(package = "f99"))]
    pub struct F99;
    #[function(runtime = rust(package = "f100"))]
    pub struct F100;
    #[function(runtime = rust(package = "f101"))]
    pub struct F101;
    #[function(runtime = rust(package = "f102"))]
    pub struct F102;
    #[function(runtime = rust(package = "f103"))]
    pub struct F103;
    #[function(runtime = rust(package = "f104"))]
    pub struct F104;
    #[function(runtime = rust(package = "f105"))]
    pub struct F105;
    #[function(runtime = rust(package = "f106"))]
    pub struct F106;
    #[function(runtime = rust(package = "f107"))]
    pub struct F107;
    #[function(runtime = rust(package = "f108"))]
    pub struct F108;
    #[function(runtime = rust(package = "f109"))]
    pub struct F109;
    #[function(runtime = rust(package = "f110"))]
    pub struct F110;
    #[function(runtime = rust(package = "f111"))]
    pub struct F111;
    #[function(runtime = rust(package = "f112"))]
    pub struct F112;
    #[function(runtime = rust(package = "f113"))]
    pub struct F113;
    #[function(runtime = rust(package = "f114"))]
    pub struct F114;
    #[function(runtime = rust(package = "f115"))]
    pub struct F115;
    #[function(runtime = rust(package = "f116"))]
    pub struct F116;
    #[function(runtime = rust(package = "f117"))]
    pub struct F117;
    #[function(runtime = rust(package = "f118"))]
    pub struct F118;
    #[function(runtime = rust(package = "f119"))]
    pub struct F119;
    #[function(runtime = rust(package = "f120"))]
    pub struct F120;
    #[function(runtime = rust(package = "f121"))]
    pub struct F121;
    #[function(runtime = rust(package = "f122"))]
    pub struct F122;
    #[function(runtime = rust(package = "f123"))]
    pub struct F123;
    #[function(runtime = rust(package = "f124"))]
    pub struct F124;
    #[function(runtime = rust(package = "f125"))]
    pub struct F125;
    #[function(runtime = rust(package = "f126"))]
    pub struct F126;
    #[function(runtime = rust(package = "f127"))]
    pub struct F127;
    #[function(runtime = rust(package = "f128"))]
    pub struct F128;
    #[function(runtime = rust(package = "f129"))]
    pub struct F129;
    #[function(runtime = rust(package = "f130"))]
    pub struct F130;
    #[function(runtime = rust(package = "f131"))]
    pub struct F131;
    #[function(runtime = rust(package = "f132"))]
    pub struct F132;
    #[function(runtime = rust(package = "f133"))]
    pub struct F133;
    #[function(runtime = rust(package = "f134"))]
    pub struct F134;
    #[function(runtime = rust(package = "f135"))]
    pub struct F135;
    #[function(runtime = rust(package = "f136"))]
    pub struct F136;
    #[function(runtime = rust(package = "f137"))]
    pub struct F137;
    #[function(runtime = rust(package = "f138"))]
    pub struct F138;
    #[function(runtime = rust(package = "f139"))]
    pub struct F139;
    #[function(runtime = rust(package = "f140"))]
    pub struct F140;
    #[function(runtime = rust(package = "f141"))]
    pub struct F141;
    #[function(runtime = rust(package = "f142"))]
    pub struct F142;
    #[function(runtime = rust(package = "f143"))]
    pub struct F143;
    #[function(runtime = rust(package = "f144"))]
    pub struct F144;
    #[function(runtime = rust(package = "f145"))]
    pub struct F145;
    #[function(runtime = rust(package = "f146"))]
    pub struct F146;
    #[function(runtime = rust(package = "f147"))]
    pub struct F147;
    #[function(runtime = rust(package = "f148"))]
    pub struct F148;
    #[function(runtime = rust(package = "f149"))]
    pub struct F149;
    #[function(runtime = rust(package = "f150"))]
    pub struct F150;
    #[function(runtime = rust(package = "f151"))]
    pub struct F151;
    #[function(runtime = rust(package = "f152"))]
    pub struct F152;
    #[function(runtime = rust(package = "f153"))]
    pub struct F153;
    #[function(runtime = rust(package = "f154"))]
    pub struct F154;
    #[function(runtime = rust(package = "f155"))]
    pub struct F155;
    #[function(runtime = rust(package = "f156"))]
    pub struct F156;
    #[function(runtime = rust(package = "f157"))]
    pub struct F157;
    #[function(runtime = rust(package = "f158"))]
    pub struct F158;
    #[function(runtime = rust(package = "f159"))]
    pub struct F159;
    #[function(runtime = rust(package = "f160"))]
    pub struct F160;
    #[function(runtime = rust(package = "f161"))]
    pub struct F161;
    #[function(runtime = rust(package = "f162"))]
    pub struct F162;
    #[function(runtime = rust(package = "f163"))]
    pub struct F163;
    #[function(runtime = rust(package = "f164"))]
    pub struct F164;
    #[function(runtime = rust(package = "f165"))]
    pub struct F165;
    #[function(runtime = rust(package = "f166"))]
    pub struct F166;
    #[function(runtime = rust(package = "f167"))]
    pub struct F167;
    #[function(runtime = rust(package = "f168"))]
    pub struct F168;
    #[function(runtime = rust(package = "f169"))]
    pub struct F169;
    #[function(runtime = rust(package = "f170"))]
    pub struct F170;
    #[function(runtime = rust(package = "f171"))]
    pub struct F171;
    #[function(runtime = rust(package = "f172"))]
    pub struct F172;
    #[function(runtime = rust(package = "f173"))]
    pub struct F173;
    #[function(runtime = rust(package = "f174"))]
    pub struct F174;
    #[function(runtime = rust(package = "f175"))]
    pub struct F175;
    #[function(runtime = rust(package = "f176"))]
    pub struct F176;
    #[function(runtime = rust(package = "f177"))]
    pub struct F177;
    #[function(runtime = rust(package = "f178"))]
    pub struct F178;
    #[function(runtime = rust(package = "f179"))]
    pub struct F179;
    #[function(runtime = rust(package = "f180"))]
    pub struct F180;
    #[function(runtime = rust(package = "f181"))]
    pub struct F181;
    #[function(runtime = rust(package = "f182"))]
    pub struct F182;
    #[function(runtime = rust(package = "f183"))]
    pub struct F183;
    #[function(runtime = rust(package = "f184"))]
    pub struct F184;
    #[function(runtime = rust(package = "f185"))]
    pub struct F185;
    #[function(runtime = rust(package = "f186"))]
    pub struct F186;
    #[function(runtime = rust(package = "f187"))]
    pub struct F187;
    #[function(runtime = rust(package = "f188"))]
    pub struct F188;
    #[function(runtime = rust(package = "f189"))]
    pub struct F189;
    #[function(runtime = rust(package = "f190"))]
    pub struct F190;
    #[function(runtime = rust(package = "f191"))]
    pub struct F191;
    #[function(runtime = rust(package = "f192"))]
    pub struct F192;
    #[function(runtime = rust(package = "f193"))]
    pub struct F193;
    #[function(runtime = rust(package = "f194"))]
    pub struct F194;
    #[function(runtime = rust(package = "f195"))]
    pub struct F195;
    #[function(runtime = rust(package = "f196"))]
    pub struct F196;
}

fn main() {}
