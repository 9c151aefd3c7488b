// SPDX-License-Identifier: GPL-3.0-or-later
// The data forms renderer (XEP-0004, XEP-0221 media) driven through its real widgets: rendering, editing,
// submission, validation, the dialog's OK button and media.
#include "TestFiles.h"
#include "widgets/forms/DataFormDialog.h"
#include "widgets/forms/DataFormWidget.h"

#include <QBuffer>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDomDocument>
#include <QFormLayout>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeDatabase>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace Natter;
using Field = QXmppDataForm::Field;
using Ui::DataFormDialog;
using Ui::DataFormWidget;

namespace {

const auto formType = QStringLiteral("urn:example:natter:test");
const auto captchaCid = QStringLiteral("cid:sha1+8f35fef110ffc5df08d579a50083ff9308fb6242@bob.xmpp.org");

// A Prosody-style muc#roomconfig form, laid out like XEP-0045's "Service Sends Configuration Form".
const char *const roomConfigXml = R"(
<x xmlns='jabber:x:data' type='form'>
  <title>Configuration for coven@chat.shakespeare.lit</title>
  <instructions>Complete and submit this form to configure the room.</instructions>
  <field type='hidden' var='FORM_TYPE'>
    <value>http://jabber.org/protocol/muc#roomconfig</value>
  </field>
  <field type='fixed'><value>Room information</value></field>
  <field type='text-single' label='Title' var='muc#roomconfig_roomname'>
    <value>A Dark Cave</value>
  </field>
  <field type='text-single' label='Description' var='muc#roomconfig_roomdesc'>
    <desc>A brief description of the room</desc>
    <value>The place for all good witches!</value>
  </field>
  <field type='text-single' label='Language tag for room (e.g. &apos;en&apos;, &apos;de&apos;, &apos;fr&apos; etc.)'
      var='muc#roomconfig_lang'>
    <value>en</value>
  </field>
  <field type='boolean' label='Persistent (room should remain even when it is not occupied)'
      var='muc#roomconfig_persistentroom'>
    <value>1</value>
  </field>
  <field type='boolean' label='Include room information in public lists' var='muc#roomconfig_publicroom'>
    <value>0</value>
  </field>
  <field type='fixed'><value>Access to the room</value></field>
  <field type='text-private' label='Password' var='muc#roomconfig_roomsecret'>
    <value>cauldronburn</value>
  </field>
  <field type='boolean' label='Only allow members to join' var='muc#roomconfig_membersonly'>
    <value>0</value>
  </field>
  <field type='boolean' label='Allow members to invite new members' var='muc#roomconfig_allowinvites'>
    <value>0</value>
  </field>
  <field type='fixed'><value>Permissions in the room</value></field>
  <field type='boolean' label='Allow anyone to set the room&apos;s subject' var='muc#roomconfig_changesubject'>
    <value>0</value>
  </field>
  <field type='boolean' label='Moderated (require permission to speak)' var='muc#roomconfig_moderatedroom'>
    <value>0</value>
  </field>
  <field type='list-single' label='Addresses (JIDs) of room occupants may be viewed by:'
      var='muc#roomconfig_whois'>
    <value>moderators</value>
    <option label='Moderators only'><value>moderators</value></option>
    <option label='Anyone'><value>anyone</value></option>
  </field>
  <field type='list-single' label='Allow private messages' var='muc#roomconfig_allowpm'>
    <value>anyone</value>
    <option label='Everyone'><value>anyone</value></option>
    <option label='Only participants'><value>participants</value></option>
    <option label='Only moderators'><value>moderators</value></option>
    <option label='Nobody'><value>none</value></option>
  </field>
  <field type='list-single' label='Maximum number of occupants' var='muc#roomconfig_maxusers'>
    <value>30</value>
    <option label='10'><value>10</value></option>
    <option label='30'><value>30</value></option>
    <option label='None'><value>none</value></option>
  </field>
  <field type='list-multi' label='Roles for which Presence is Broadcasted'
      var='muc#roomconfig_presencebroadcast'>
    <value>moderator</value>
    <value>participant</value>
    <option label='Moderator'><value>moderator</value></option>
    <option label='Participant'><value>participant</value></option>
    <option label='Visitor'><value>visitor</value></option>
  </field>
  <field type='fixed'><value>Other options</value></field>
  <field type='text-single' label='Maximum number of history messages' var='muc#roomconfig_historylength'>
    <validate xmlns='http://jabber.org/protocol/xdata-validate' datatype='xs:integer'>
      <range min='0' max='50'/>
    </validate>
    <value>20</value>
  </field>
  <field type='text-single' label='Default number of history messages returned by room'
      var='muc#roomconfig_defaulthistorymessages'>
    <value>20</value>
  </field>
  <field type='boolean' label='Archive chat on server' var='muc#roomconfig_enablearchiving'>
    <value>1</value>
  </field>
  <field type='fixed'>
    <value>
      You may specify additional people who have
      admin status in the room. Please
      provide one Jabber ID per line.
    </value>
  </field>
  <field type='jid-multi' label='Room Admins' var='muc#roomconfig_roomadmins'>
    <value>wiccarocks@shakespeare.lit</value>
    <value>hecate@shakespeare.lit</value>
  </field>
  <field type='jid-multi' label='Room Owners' var='muc#roomconfig_roomowners'>
    <value>crone1@shakespeare.lit</value>
  </field>
</x>
)";

QXmppDataForm everyTypeForm()
{
    const QList<QPair<QString, QString>> whoisOptions = {
        {QStringLiteral("Moderators only"), QStringLiteral("moderators")},
        {QStringLiteral("Anyone"), QStringLiteral("anyone")}};
    const QList<QPair<QString, QString>> roleOptions = {
        {QStringLiteral("Moderator"), QStringLiteral("moderator")},
        {QStringLiteral("Participant"), QStringLiteral("participant")},
        {QStringLiteral("Visitor"), QStringLiteral("visitor")}};
    return QXmppDataForm(
        QXmppDataForm::Form,
        {
            Field(Field::HiddenField, QStringLiteral("FORM_TYPE"), formType),
            Field(Field::FixedField, {}, QStringLiteral("Account details")),
            Field(Field::BooleanField, QStringLiteral("notify"), true, false, QStringLiteral("Notify me")),
            Field(Field::TextSingleField, QStringLiteral("name"), QStringLiteral("Alice"), true,
                  QStringLiteral("Name"), QStringLiteral("Shown to other people")),
            Field(Field::TextPrivateField, QStringLiteral("password"), QStringLiteral("s3cret"), false,
                  QStringLiteral("Password")),
            Field(Field::TextMultiField, QStringLiteral("about"),
                  QStringList{QStringLiteral("line one"), QStringLiteral("line two")}, false,
                  QStringLiteral("About")),
            Field(Field::JidSingleField, QStringLiteral("owner"), QStringLiteral("owner@example.org"), false,
                  QStringLiteral("Owner")),
            Field(Field::JidMultiField, QStringLiteral("admins"),
                  QStringList{QStringLiteral("a@example.org"), QStringLiteral("b@example.org")}, false,
                  QStringLiteral("Admins")),
            Field(Field::ListSingleField, QStringLiteral("whois"), QStringLiteral("moderators"), false,
                  QStringLiteral("Who may see addresses"), {}, whoisOptions),
            Field(Field::ListMultiField, QStringLiteral("broadcast"),
                  QStringList{QStringLiteral("moderator")}, false, QStringLiteral("Presence broadcast"), {},
                  roleOptions),
        },
        QStringLiteral("Test form"), QStringLiteral("Fill in every field."));
}

QXmppDataForm parsedRoomConfig()
{
    QDomDocument document;
    const auto parsed = document.setContent(QByteArray(roomConfigXml));
    if (!parsed)
        qWarning() << "room configuration XML:" << parsed.errorMessage;
    QXmppDataForm form;
    form.parse(document.documentElement());
    return form;
}

QXmppDataForm mediaForm(const QString &uri)
{
    Field ocr(Field::TextSingleField, QStringLiteral("ocr"), QString(), true,
              QStringLiteral("Enter the text you see"));
    ocr.setMediaSources({QXmppDataForm::MediaSource(
        QUrl(uri), QMimeDatabase().mimeTypeForName(QStringLiteral("image/png")))});
    return QXmppDataForm(QXmppDataForm::Form, {ocr});
}

Field submittedField(const QXmppDataForm &form, const QString &var)
{
    for (const Field &field : form.fields()) {
        if (field.key() == var)
            return field;
    }
    return Field(Field::FixedField, QStringLiteral("<missing>"));
}

} // namespace

class tst_UiDataForm : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void everyFieldTypeGetsItsWidgetAndValue();
    void titleInstructionsLabelsAndDescriptionsAreShown();
    void listSingleWithoutValueSelectsNothing();
    void editedValuesAreSubmitted();
    void hiddenFieldIsSubmittedUnchangedAndFixedIsOmitted();
    void parsedRoomConfigurationIsRenderedAndScrolls();
    void untouchedRoomConfigurationIsSubmittedAsReceived();
    void emptyRequiredFieldFailsValidation();
    void invalidJidInJidSingleFailsValidation();
    void invalidLineInJidMultiFailsValidation();
    void correctingAFieldClearsItsErrorAndRestoresValidity();
    void dialogOkDoesNotAcceptAnInvalidForm();
    void dataUriImageIsShownScaledDown();
    void cidImageComesFromTheResolver();
    void webMediaIsALinkNotAnImage();
    void shortFixedFieldIsABoldHeadingSpanningTheRow();
    void longFixedTextIsNotAHeading();
    void longLabelsTakeAReadableWidthInAWideForm();
    void labelsWrapInANarrowFormInsteadOfScrollingSideways();
    void checkListRowsDoNotTouchEachOtherOrTheFrame();
    void heightTheFieldsDoNotNeedGoesBelowTheLastField();
    void dialogStartsInTheFirstField();

private:
    template <typename T> T *input(const QString &var) const
    {
        return m_form->findChild<T *>(QStringLiteral("field:") + var);
    }
    QLabel *errorLabel(const QString &var) const
    {
        return m_form->findChild<QLabel *>(var + QStringLiteral("Error"));
    }

    std::unique_ptr<QWidget> m_window;
    DataFormWidget *m_form = nullptr;
};

void tst_UiDataForm::init()
{
    m_window = std::make_unique<QWidget>();
    m_window->resize(640, 900);
    m_form = new DataFormWidget(m_window.get());
    m_form->setGeometry(0, 0, 640, 900);
    m_form->setForm(everyTypeForm());
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void tst_UiDataForm::cleanup()
{
    m_window.reset();
}

void tst_UiDataForm::everyFieldTypeGetsItsWidgetAndValue()
{
    auto *notify = input<QCheckBox>(QStringLiteral("notify"));
    QVERIFY(notify);
    QVERIFY(notify->isChecked());

    auto *name = input<QLineEdit>(QStringLiteral("name"));
    QVERIFY(name);
    QCOMPARE(name->text(), QStringLiteral("Alice"));
    QCOMPARE(name->echoMode(), QLineEdit::Normal);

    auto *password = input<QLineEdit>(QStringLiteral("password"));
    QVERIFY(password);
    QCOMPARE(password->text(), QStringLiteral("s3cret"));
    QCOMPARE(password->echoMode(), QLineEdit::Password);

    auto *about = input<QPlainTextEdit>(QStringLiteral("about"));
    QVERIFY(about);
    QCOMPARE(about->toPlainText(), QStringLiteral("line one\nline two"));

    auto *owner = input<QLineEdit>(QStringLiteral("owner"));
    QVERIFY(owner);
    QCOMPARE(owner->text(), QStringLiteral("owner@example.org"));

    auto *admins = input<QPlainTextEdit>(QStringLiteral("admins"));
    QVERIFY(admins);
    QCOMPARE(admins->toPlainText(), QStringLiteral("a@example.org\nb@example.org"));

    auto *whois = input<QComboBox>(QStringLiteral("whois"));
    QVERIFY(whois);
    QCOMPARE(whois->count(), 2);
    QCOMPARE(whois->currentText(), QStringLiteral("Moderators only"));
    QCOMPARE(whois->currentData().toString(), QStringLiteral("moderators"));
    QCOMPARE(whois->itemData(1).toString(), QStringLiteral("anyone"));

    auto *broadcast = input<QListWidget>(QStringLiteral("broadcast"));
    QVERIFY(broadcast);
    QCOMPARE(broadcast->count(), 3);
    QCOMPARE(broadcast->item(0)->text(), QStringLiteral("Moderator"));
    QCOMPARE(broadcast->item(0)->checkState(), Qt::Checked);
    QCOMPARE(broadcast->item(1)->checkState(), Qt::Unchecked);
    QCOMPARE(broadcast->item(2)->checkState(), Qt::Unchecked);
    QVERIFY(broadcast->item(1)->flags() & Qt::ItemIsUserCheckable);

    QVERIFY(!m_form->findChild<QWidget *>(QStringLiteral("field:FORM_TYPE")));
    const auto fixed = m_form->findChildren<QLabel *>(QStringLiteral("fixed"));
    QCOMPARE(fixed.size(), 1);
    QCOMPARE(fixed.first()->text(), QStringLiteral("Account details"));
    QVERIFY(fixed.first()->isVisible());
}

void tst_UiDataForm::titleInstructionsLabelsAndDescriptionsAreShown()
{
    auto *title = m_form->findChild<QLabel *>(QStringLiteral("formTitle"));
    QVERIFY(title && title->isVisible());
    QCOMPARE(title->text(), QStringLiteral("Test form"));
    auto *instructions = m_form->findChild<QLabel *>(QStringLiteral("formInstructions"));
    QVERIFY(instructions && instructions->isVisible());
    QCOMPARE(instructions->text(), QStringLiteral("Fill in every field."));

    auto *required = m_form->findChild<QLabel *>(QStringLiteral("label:name"));
    QVERIFY(required);
    QVERIFY(required->text().contains(QStringLiteral("Name")));
    QVERIFY(required->text().contains(u'*'));
    QCOMPARE(required->buddy(), input<QLineEdit>(QStringLiteral("name")));
    auto *optional = m_form->findChild<QLabel *>(QStringLiteral("label:owner"));
    QVERIFY(optional);
    QVERIFY(!optional->text().contains(u'*'));

    auto *description = m_form->findChild<QLabel *>(QStringLiteral("description:name"));
    QVERIFY(description && description->isVisible());
    QCOMPARE(description->text(), QStringLiteral("Shown to other people"));
    QCOMPARE(input<QLineEdit>(QStringLiteral("name"))->toolTip(), QStringLiteral("Shown to other people"));
}

void tst_UiDataForm::listSingleWithoutValueSelectsNothing()
{
    const QList<QPair<QString, QString>> options = {{QStringLiteral("Red"), QStringLiteral("red")},
                                                    {QStringLiteral("Blue"), QStringLiteral("blue")}};
    m_form->setForm(
        QXmppDataForm(QXmppDataForm::Form, {Field(Field::ListSingleField, QStringLiteral("colour"), {}, false,
                                                  QStringLiteral("Colour"), {}, options)}));
    auto *combo = input<QComboBox>(QStringLiteral("colour"));
    QVERIFY(combo);
    QCOMPARE(combo->count(), 2);
    QCOMPARE(combo->currentIndex(), -1);
    QVERIFY(submittedField(m_form->submission(), QStringLiteral("colour")).value().toString().isEmpty());

    combo->setCurrentIndex(1);
    QCOMPARE(submittedField(m_form->submission(), QStringLiteral("colour")).value().toString(),
             QStringLiteral("blue"));
}

void tst_UiDataForm::editedValuesAreSubmitted()
{
    input<QCheckBox>(QStringLiteral("notify"))->setChecked(false);

    auto *name = input<QLineEdit>(QStringLiteral("name"));
    name->clear();
    QTest::keyClicks(name, QStringLiteral("Bob"));

    auto *password = input<QLineEdit>(QStringLiteral("password"));
    QTest::keyClicks(password, QStringLiteral("!"));

    auto *about = input<QPlainTextEdit>(QStringLiteral("about"));
    about->clear();
    QTest::keyClicks(about, QStringLiteral("first"));
    QTest::keyClick(about, Qt::Key_Return);
    QTest::keyClicks(about, QStringLiteral("second"));

    auto *owner = input<QLineEdit>(QStringLiteral("owner"));
    owner->clear();
    QTest::keyClicks(owner, QStringLiteral("boss@example.net"));

    auto *admins = input<QPlainTextEdit>(QStringLiteral("admins"));
    admins->moveCursor(QTextCursor::End);
    QTest::keyClick(admins, Qt::Key_Return);
    QTest::keyClicks(admins, QStringLiteral("c@example.org"));

    input<QComboBox>(QStringLiteral("whois"))->setCurrentIndex(1);
    input<QListWidget>(QStringLiteral("broadcast"))->item(2)->setCheckState(Qt::Checked);

    const QXmppDataForm submitted = m_form->submission();
    QCOMPARE(submitted.type(), QXmppDataForm::Submit);
    QCOMPARE(submittedField(submitted, QStringLiteral("notify")).value().toBool(), false);
    QCOMPARE(submittedField(submitted, QStringLiteral("name")).value().toString(), QStringLiteral("Bob"));
    QCOMPARE(submittedField(submitted, QStringLiteral("password")).value().toString(),
             QStringLiteral("s3cret!"));
    QCOMPARE(submittedField(submitted, QStringLiteral("about")).value().toStringList(),
             (QStringList{QStringLiteral("first"), QStringLiteral("second")}));
    QCOMPARE(submittedField(submitted, QStringLiteral("owner")).value().toString(),
             QStringLiteral("boss@example.net"));
    QCOMPARE(submittedField(submitted, QStringLiteral("admins")).value().toStringList(),
             (QStringList{QStringLiteral("a@example.org"), QStringLiteral("b@example.org"),
                          QStringLiteral("c@example.org")}));
    QCOMPARE(submittedField(submitted, QStringLiteral("whois")).value().toString(), QStringLiteral("anyone"));
    QCOMPARE(submittedField(submitted, QStringLiteral("broadcast")).value().toStringList(),
             (QStringList{QStringLiteral("moderator"), QStringLiteral("visitor")}));
    QVERIFY(m_form->validate());
}

void tst_UiDataForm::hiddenFieldIsSubmittedUnchangedAndFixedIsOmitted()
{
    const QXmppDataForm submitted = m_form->submission();
    QCOMPARE(submitted.type(), QXmppDataForm::Submit);
    QCOMPARE(submitted.fields().size(), everyTypeForm().fields().size() - 1);
    const Field formTypeField = submittedField(submitted, QStringLiteral("FORM_TYPE"));
    QCOMPARE(formTypeField.type(), Field::HiddenField);
    QCOMPARE(formTypeField.value().toString(), formType);
    for (const Field &field : submitted.fields()) {
        QVERIFY(field.type() != Field::FixedField);
        QVERIFY(!field.key().isEmpty());
    }
}

void tst_UiDataForm::parsedRoomConfigurationIsRenderedAndScrolls()
{
    const QXmppDataForm config = parsedRoomConfig();
    QCOMPARE(config.type(), QXmppDataForm::Form);
    QCOMPARE(config.fields().size(), 25);
    m_form->setForm(config);

    QCOMPARE(m_form->findChildren<QLabel *>(QStringLiteral("fixed")).size(), 5);
    QCOMPARE(input<QLineEdit>(QStringLiteral("muc#roomconfig_roomname"))->text(),
             QStringLiteral("A Dark Cave"));
    QCOMPARE(input<QLineEdit>(QStringLiteral("muc#roomconfig_roomsecret"))->echoMode(), QLineEdit::Password);
    QVERIFY(input<QCheckBox>(QStringLiteral("muc#roomconfig_persistentroom"))->isChecked());
    QVERIFY(!input<QCheckBox>(QStringLiteral("muc#roomconfig_publicroom"))->isChecked());
    auto *whois = input<QComboBox>(QStringLiteral("muc#roomconfig_whois"));
    QVERIFY(whois);
    QCOMPARE(whois->currentText(), QStringLiteral("Moderators only"));
    QCOMPARE(input<QComboBox>(QStringLiteral("muc#roomconfig_allowpm"))->count(), 4);
    auto *broadcast = input<QListWidget>(QStringLiteral("muc#roomconfig_presencebroadcast"));
    QVERIFY(broadcast);
    QCOMPARE(broadcast->item(1)->checkState(), Qt::Checked);
    QCOMPARE(broadcast->item(2)->checkState(), Qt::Unchecked);
    QCOMPARE(input<QPlainTextEdit>(QStringLiteral("muc#roomconfig_roomadmins"))->toPlainText(),
             QStringLiteral("wiccarocks@shakespeare.lit\nhecate@shakespeare.lit"));

    auto *scrollArea = m_form->findChild<QScrollArea *>();
    QVERIFY(scrollArea);
    m_form->resize(500, 300);
    QTRY_VERIFY(scrollArea->verticalScrollBar()->maximum() > 0);
}

void tst_UiDataForm::untouchedRoomConfigurationIsSubmittedAsReceived()
{
    const QXmppDataForm config = parsedRoomConfig();
    m_form->setForm(config);
    const QXmppDataForm submitted = m_form->submission();
    QCOMPARE(submitted.type(), QXmppDataForm::Submit);
    QCOMPARE(submitted.fields().size(), 20);
    for (const Field &original : config.fields()) {
        if (original.type() == Field::FixedField)
            continue;
        const Field field = submittedField(submitted, original.key());
        QCOMPARE(field.type(), original.type());
        if (original.type() == Field::BooleanField)
            QCOMPARE(field.value().toBool(), original.value().toBool());
        else
            QCOMPARE(field.value().toStringList(), original.value().toStringList());
    }
    QCOMPARE(submittedField(submitted, QStringLiteral("FORM_TYPE")).value().toString(),
             QStringLiteral("http://jabber.org/protocol/muc#roomconfig"));
}

void tst_UiDataForm::emptyRequiredFieldFailsValidation()
{
    QVERIFY(m_form->validate());
    QVERIFY(errorLabel(QStringLiteral("name"))->isHidden());

    auto *name = input<QLineEdit>(QStringLiteral("name"));
    name->clear();
    input<QLineEdit>(QStringLiteral("owner"))->setFocus();
    QVERIFY(!m_form->validate());
    QVERIFY(!m_form->isValid());
    QLabel *error = errorLabel(QStringLiteral("name"));
    QVERIFY(error->isVisible());
    QVERIFY(!error->text().isEmpty());
    QVERIFY(m_form->firstError().contains(QStringLiteral("Name")));
    QTRY_VERIFY(name->hasFocus());
    QCOMPARE(name->property("invalid").toBool(), true);
}

void tst_UiDataForm::invalidJidInJidSingleFailsValidation()
{
    auto *owner = input<QLineEdit>(QStringLiteral("owner"));
    owner->clear();
    QTest::keyClicks(owner, QStringLiteral("two words@example.org"));
    QVERIFY(!m_form->validate());
    QLabel *error = errorLabel(QStringLiteral("owner"));
    QVERIFY(error->isVisible());
    QVERIFY(!error->text().isEmpty());
    QVERIFY(errorLabel(QStringLiteral("name"))->isHidden());
    QVERIFY(m_form->firstError().startsWith(QStringLiteral("Owner")));
    QTRY_VERIFY(owner->hasFocus());
}

void tst_UiDataForm::invalidLineInJidMultiFailsValidation()
{
    auto *admins = input<QPlainTextEdit>(QStringLiteral("admins"));
    admins->setPlainText(QStringLiteral("a@example.org\nbad user@example.org\nc@example.org"));
    QVERIFY(!m_form->validate());
    QLabel *error = errorLabel(QStringLiteral("admins"));
    QVERIFY(error->isVisible());
    QVERIFY(error->text().startsWith(QStringLiteral("Line 2")));
    QTRY_VERIFY(admins->hasFocus());
}

void tst_UiDataForm::correctingAFieldClearsItsErrorAndRestoresValidity()
{
    QSignalSpy validity(m_form, &DataFormWidget::validityChanged);
    auto *owner = input<QLineEdit>(QStringLiteral("owner"));
    owner->setText(QStringLiteral("@example.org"));
    QCOMPARE(validity.size(), 1);
    QCOMPARE(validity.last().first().toBool(), false);
    QVERIFY(!m_form->validate());
    QVERIFY(errorLabel(QStringLiteral("owner"))->isVisible());

    owner->setText(QStringLiteral("alice@example.org"));
    QVERIFY(errorLabel(QStringLiteral("owner"))->isHidden());
    QCOMPARE(validity.size(), 2);
    QCOMPARE(validity.last().first().toBool(), true);
    QVERIFY(m_form->firstError().isEmpty());
    QVERIFY(m_form->validate());
}

void tst_UiDataForm::dialogOkDoesNotAcceptAnInvalidForm()
{
    DataFormDialog dialog(everyTypeForm());
    dialog.open();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok);
    auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("field:name"));
    auto *owner = dialog.findChild<QLineEdit *>(QStringLiteral("field:owner"));
    name->clear();
    owner->setText(QStringLiteral("not valid@example.org"));

    ok->click();
    QVERIFY(dialog.result() != QDialog::Accepted);
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("nameError"))->isVisible());
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("ownerError"))->isVisible());

    QTest::keyClicks(name, QStringLiteral("Carol"));
    ok->click();
    QVERIFY(dialog.result() != QDialog::Accepted);

    owner->setText(QStringLiteral("carol@example.org"));
    ok->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QVERIFY(!dialog.isVisible());
    QCOMPARE(submittedField(dialog.submission(), QStringLiteral("name")).value().toString(),
             QStringLiteral("Carol"));
}

void tst_UiDataForm::dataUriImageIsShownScaledDown()
{
    const QString uri = QStringLiteral("data:image/png;base64,") +
                        QString::fromLatin1(Test::encodedImage({800, 600}, Qt::darkGreen).toBase64());
    m_form->setForm(mediaForm(uri));
    auto *media = m_form->findChild<QLabel *>(QStringLiteral("media:ocr"));
    QVERIFY(media);
    QVERIFY(!media->pixmap().isNull());
    QCOMPARE(media->pixmap().size(), QSize(320, 240));
    QVERIFY(input<QLineEdit>(QStringLiteral("ocr")));
}

void tst_UiDataForm::cidImageComesFromTheResolver()
{
    m_form->setForm(mediaForm(captchaCid));
    auto *media = m_form->findChild<QLabel *>(QStringLiteral("media:ocr"));
    QVERIFY(media);
    QVERIFY(media->pixmap().isNull());

    QStringList asked;
    m_form->setMediaResolver([&asked](const QString &uri) {
        asked.append(uri);
        return Test::encodedImage({120, 40}, Qt::darkGreen);
    });
    QCOMPARE(asked, QStringList{captchaCid});
    QVERIFY(!media->pixmap().isNull());
    QCOMPARE(media->pixmap().size(), QSize(120, 40));
}

void tst_UiDataForm::webMediaIsALinkNotAnImage()
{
    int resolverCalls = 0;
    m_form->setMediaResolver([&resolverCalls](const QString &) {
        ++resolverCalls;
        return Test::encodedImage({10, 10}, Qt::darkGreen);
    });
    m_form->setForm(mediaForm(QStringLiteral("https://example.org/captcha.png")));
    auto *media = m_form->findChild<QLabel *>(QStringLiteral("media:ocr"));
    QVERIFY(media);
    QVERIFY(media->pixmap().isNull());
    QVERIFY(media->text().contains(QStringLiteral("<a href=\"https://example.org/captcha.png\">")));
    QCOMPARE(resolverCalls, 0);
}

void tst_UiDataForm::shortFixedFieldIsABoldHeadingSpanningTheRow()
{
    m_form->setForm(parsedRoomConfig());
    QLabel *heading = nullptr;
    QLabel *nextHeading = nullptr;
    for (QLabel *fixed : m_form->findChildren<QLabel *>(QStringLiteral("fixed"))) {
        if (fixed->text() == u"Room information")
            heading = fixed;
        if (fixed->text() == u"Access to the room")
            nextHeading = fixed;
    }
    QVERIFY(heading && nextHeading);
    QVERIFY(heading->font().bold());
    QVERIFY(nextHeading->font().bold());
    QVERIFY(!input<QLineEdit>(QStringLiteral("muc#roomconfig_roomname"))->font().bold());

    auto *layout = heading->parentWidget()->findChild<QFormLayout *>();
    QVERIFY(layout);
    int row = -1;
    QFormLayout::ItemRole role = QFormLayout::LabelRole;
    layout->getWidgetPosition(heading, &row, &role);
    QCOMPARE(role, QFormLayout::SpanningRole);
    // It starts where the labels do and reaches over the fields' column.
    auto *label = m_form->findChild<QLabel *>(QStringLiteral("label:muc#roomconfig_roomname"));
    QCOMPARE(heading->x(), label->x());
    QVERIFY(heading->geometry().right() > input<QLineEdit>(QStringLiteral("muc#roomconfig_roomname"))->x());
    // A section after fields is set apart from them; the first one sits right under the instructions.
    QVERIFY(nextHeading->contentsMargins().top() > 0);
    QCOMPARE(heading->contentsMargins().top(), 0);
}

void tst_UiDataForm::longFixedTextIsNotAHeading()
{
    m_form->setForm(parsedRoomConfig());
    QLabel *explanation = nullptr;
    for (QLabel *fixed : m_form->findChildren<QLabel *>(QStringLiteral("fixed"))) {
        if (fixed->text().startsWith(u"You may specify"))
            explanation = fixed;
    }
    QVERIFY(explanation);
    QVERIFY(!explanation->font().bold());
    QVERIFY(explanation->wordWrap());
}

void tst_UiDataForm::longLabelsTakeAReadableWidthInAWideForm()
{
    m_form->setForm(parsedRoomConfig());
    m_form->resize(700, 900);
    auto *persistent = m_form->findChild<QLabel *>(QStringLiteral("label:muc#roomconfig_persistentroom"));
    auto *whois = m_form->findChild<QLabel *>(QStringLiteral("label:muc#roomconfig_whois"));
    QVERIFY(persistent && whois);
    QTRY_VERIFY2(persistent->width() > 200, qPrintable(QString::number(persistent->width())));
    QVERIFY(persistent->width() <= 700 / 2);
    // At most two lines, where the old 110 px column took four.
    QVERIFY2(persistent->height() <= 2 * persistent->fontMetrics().lineSpacing() + 2,
             qPrintable(QString::number(persistent->height())));
    // One column: every field starts at the same place.
    QCOMPARE(whois->width(), persistent->width());
    QCOMPARE(input<QComboBox>(QStringLiteral("muc#roomconfig_whois"))->mapTo(m_form, QPoint()).x(),
             input<QLineEdit>(QStringLiteral("muc#roomconfig_roomname"))->mapTo(m_form, QPoint()).x());
}

void tst_UiDataForm::labelsWrapInANarrowFormInsteadOfScrollingSideways()
{
    m_form->setForm(parsedRoomConfig());
    m_form->resize(360, 600);
    auto *scrollArea = m_form->findChild<QScrollArea *>();
    auto *persistent = m_form->findChild<QLabel *>(QStringLiteral("label:muc#roomconfig_persistentroom"));
    QTRY_VERIFY(persistent->width() <= 360 / 2);
    QVERIFY(persistent->height() > persistent->fontMetrics().lineSpacing());
    QTRY_COMPARE(scrollArea->horizontalScrollBar()->maximum(), 0);
}

void tst_UiDataForm::checkListRowsDoNotTouchEachOtherOrTheFrame()
{
    auto *broadcast = input<QListWidget>(QStringLiteral("broadcast"));
    QVERIFY(broadcast);
    // Every row shows without scrolling.
    QCOMPARE(broadcast->verticalScrollBar()->maximum(), 0);
    const QRect first = broadcast->visualItemRect(broadcast->item(0));
    const QRect second = broadcast->visualItemRect(broadcast->item(1));
    const QRect last = broadcast->visualItemRect(broadcast->item(broadcast->count() - 1));
    QVERIFY2(first.top() >= 2, qPrintable(QString::number(first.top())));
    QVERIFY2(second.top() - first.bottom() > 2,
             qPrintable(QStringLiteral("%1 %2").arg(first.bottom()).arg(second.top())));
    QVERIFY2(broadcast->viewport()->height() - last.bottom() > 2,
             qPrintable(QStringLiteral("%1 %2").arg(last.bottom()).arg(broadcast->viewport()->height())));
}

void tst_UiDataForm::heightTheFieldsDoNotNeedGoesBelowTheLastField()
{
    const QList<QPair<QString, QString>> options = {{QStringLiteral("Red"), QStringLiteral("red")},
                                                    {QStringLiteral("Blue"), QStringLiteral("blue")}};
    m_form->setForm(QXmppDataForm(
        QXmppDataForm::Form,
        {Field(Field::TextSingleField, QStringLiteral("name"), QString(), false, QStringLiteral("Name")),
         Field(Field::ListMultiField, QStringLiteral("colours"), QStringList(), false,
               QStringLiteral("Colours"), {}, options),
         Field(Field::BooleanField, QStringLiteral("notify"), false, false, QStringLiteral("Notify me"))}));
    auto *name = input<QLineEdit>(QStringLiteral("name"));
    auto *colours = input<QListWidget>(QStringLiteral("colours"));
    auto *notify = input<QCheckBox>(QStringLiteral("notify"));
    QTRY_VERIFY(notify->isVisible());
    const int nameBottom = name->mapTo(m_form, QPoint(0, name->height())).y();
    const int coloursTop = colours->mapTo(m_form, QPoint()).y();
    const int coloursBottom = colours->mapTo(m_form, QPoint(0, colours->height())).y();
    const int notifyTop = notify->mapTo(m_form, QPoint()).y();
    QVERIFY2(coloursTop - nameBottom < 20,
             qPrintable(QStringLiteral("%1 %2").arg(nameBottom).arg(coloursTop)));
    QVERIFY2(notifyTop - coloursBottom < 20,
             qPrintable(QStringLiteral("%1 %2").arg(coloursBottom).arg(notifyTop)));
    QVERIFY(notifyTop < m_form->height() / 2);
}

void tst_UiDataForm::dialogStartsInTheFirstField()
{
    DataFormDialog dialog(everyTypeForm());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *first = dialog.findChild<QCheckBox *>(QStringLiteral("field:notify"));
    QVERIFY(first);
    QTRY_COMPARE(dialog.focusWidget(), first);
}

QTEST_MAIN(tst_UiDataForm)
#include "tst_ui_dataform.moc"
