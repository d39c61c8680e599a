pub mod charts;
pub mod dashboard;
pub mod openapi;
pub mod pages;
pub mod qr;
pub mod staff;
