META
key;value
description;Buurtbudget Havenkwartier
country;Netherlands
unit;Voorbeeldstad
district;Havenkwartier
instance;2025
num_projects;8
num_votes;30
budget;35000
vote_type;cumulative
rule;greedy
date_begin;01.03.2025
date_end;21.03.2025
min_sum_points;5
max_sum_points;5
language;nl
currency;EUR
comment;#1: Verzonnen voorbeeld van Buurtbasis (geen echte gegevens). Invented example, no real data.
PROJECTS
project_id;cost;votes;score;name;category
H1;15000;25;40;Drijvende tuin in de haven;Groen
H2;6000;17;23;Verlichting op de kade;Veiligheid
H3;9500;12;19;Sportveldje bij de loods;Sport
H4;4000;9;11;Zitplekken bij de aanlegsteiger;Ontmoeting
H5;12000;19;22;Havenfestival in september;Cultuur
H6;3500;12;13;Fietsenrekken bij het pontje;Verkeer
H7;7000;8;10;Jongerenwerk op vrijdagavond;Jeugd
H8;2000;10;12;Insectenhotels langs het water;Groen
VOTES
voter_id;vote;points
h01;H3,H4,H7;2,2,1
h02;H4,H1,H5,H6;2,1,1,1
h03;H1,H2,H5,H6;2,1,1,1
h04;H5,H8,H1;2,2,1
h05;H1,H4;4,1
h06;H3,H1,H2,H6;2,1,1,1
h07;H3,H5,H4;2,2,1
h08;H8,H2,H5,H6;2,1,1,1
h09;H2,H1,H5;3,1,1
h10;H3,H6,H8;2,2,1
h11;H1,H3,H7,H8;2,1,1,1
h12;H1,H2,H3,H5,H6;1,1,1,1,1
h13;H1,H2,H5,H8;2,1,1,1
h14;H1,H2,H6;3,1,1
h15;H1,H3,H4,H5;2,1,1,1
h16;H1,H2,H3,H5;2,1,1,1
h17;H1,H2,H6,H7,H8;1,1,1,1,1
h18;H1,H3,H5,H6,H8;1,1,1,1,1
h19;H2,H1,H5;3,1,1
h20;H1,H2,H4,H5;2,1,1,1
h21;H3,H4,H8;3,1,1
h22;H1,H7,H6;2,2,1
h23;H1,H2,H5,H7;2,1,1,1
h24;H7,H1,H3,H5;2,1,1,1
h25;H2,H1,H5,H8;2,1,1,1
h26;H5,H1,H2,H6;2,1,1,1
h27;H1,H2,H4,H5,H6;1,1,1,1,1
h28;H1,H2,H7;2,2,1
h29;H1,H3,H4;2,2,1
h30;H1,H2,H5,H7,H8;1,1,1,1,1
